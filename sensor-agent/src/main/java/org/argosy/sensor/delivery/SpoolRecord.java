package org.argosy.sensor.delivery;

/**
 * One Kafka record waiting to be sent, as it will be produced: its timestamp (the flow's start,
 * epoch milliseconds), key and value bytes.
 */
public record SpoolRecord(long timestamp, byte[] key, byte[] value) {}
