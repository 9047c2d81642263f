package org.argosy.sensor.delivery;

/** One Kafka record waiting to be sent: its key and its value bytes, as they will be produced. */
public record SpoolRecord(byte[] key, byte[] value) {}
