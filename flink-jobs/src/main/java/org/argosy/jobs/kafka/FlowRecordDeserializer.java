package org.argosy.jobs.kafka;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Avro single-object flow records from Kafka. A payload that is not a readable flow record
 * is skipped, counted in the {@code poisonRecords} metric and logged with its topic, partition and
 * offset, so one bad producer cannot stop the job.
 */
public final class FlowRecordDeserializer implements KafkaRecordDeserializationSchema<FlowRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(FlowRecordDeserializer.class);

  private transient AvroSingleObjectCodec<FlowRecord> codec;
  private transient Counter poisonRecords;

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    poisonRecords = context.getMetricGroup().counter("poisonRecords");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> message, Collector<FlowRecord> out) {
    try {
      out.collect(codec.decode(message.value()));
    } catch (RecordDecodingException e) {
      poisonRecords.inc();
      LOG.warn(
          "skipped undecodable record {}-{}@{} ({}): {}",
          message.topic(),
          message.partition(),
          message.offset(),
          e.reason(),
          e.getMessage());
    }
  }

  @Override
  public TypeInformation<FlowRecord> getProducedType() {
    return TypeInformation.of(FlowRecord.class);
  }
}
