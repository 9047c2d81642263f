package org.argosy.avro.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails the build when a schema change would break a reader or writer of a published version.
 *
 * <p>To publish a changed schema, add it as the next {@code vN.avsc} under {@code
 * src/main/resources/org/argosy/avro/history/NAME/} (the current schema, pretty-printed by {@code
 * NAME.getClassSchema().toString(true)}).
 */
class SchemaCompatibilityTest {

  static Stream<Schema> currentSchemas() {
    return Stream.of(
        FlowRecord.getClassSchema(),
        FlowAggregate.getClassSchema(),
        TopNRanking.getClassSchema(),
        FlowAlert.getClassSchema());
  }

  @ParameterizedTest
  @MethodSource("currentSchemas")
  void currentSchemaIsPublishedInHistory(Schema current) {
    List<Long> published =
        SchemaHistory.versionsOf(current.getName()).stream()
            .map(SchemaNormalization::parsingFingerprint64)
            .toList();
    assertThat(published)
        .as(
            "%s changed: add it as the next version under %s",
            current.getName(), SchemaHistory.resourcePath(current.getName(), published.size() + 1))
        .contains(SchemaNormalization.parsingFingerprint64(current));
  }

  @ParameterizedTest
  @MethodSource("currentSchemas")
  void everyPublishedVersionReadsAndIsReadByTheCurrentOne(Schema current) {
    List<Schema> history = SchemaHistory.versionsOf(current.getName());
    assertThat(history).isNotEmpty();
    for (Schema published : history) {
      assertCompatible(current, published, "current reader, published writer");
      assertCompatible(published, current, "published reader, current writer");
    }
  }

  @ParameterizedTest
  @MethodSource("currentSchemas")
  void consecutivePublishedVersionsAreCompatible(Schema current) {
    List<Schema> history = SchemaHistory.versionsOf(current.getName());
    for (int i = 1; i < history.size(); i++) {
      assertCompatible(history.get(i), history.get(i - 1), "v" + (i + 1) + " reads v" + i);
      assertCompatible(history.get(i - 1), history.get(i), "v" + i + " reads v" + (i + 1));
    }
  }

  private static void assertCompatible(Schema reader, Schema writer, String direction) {
    SchemaCompatibility.SchemaPairCompatibility result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    assertThat(result.getType())
        .as("%s %s: %s", reader.getName(), direction, result.getResult().getIncompatibilities())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }
}
