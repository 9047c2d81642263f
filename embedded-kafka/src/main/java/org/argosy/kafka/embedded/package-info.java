/**
 * A real Kafka broker for tests and for {@code argosy demo}: {@link
 * org.argosy.kafka.embedded.EmbeddedKafka} starts one (Docker container if available, else
 * in-process KRaft), {@link org.argosy.kafka.embedded.EmbeddedKafkaExtension} does so per JUnit 5
 * test class.
 */
package org.argosy.kafka.embedded;
