package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every file under k8s/ as it is written, before kustomize combines them. */
class ManifestFilesTest {

  private final ManifestValidator validator = ManifestValidator.forSharedSchemas();

  /**
   * Folders named "files" hold the report and rule files that ConfigMaps are generated from: data
   * the jobs read, not manifests.
   */
  private static final String DATA_FOLDER = "files";

  @Test
  void everyYamlFileParsesAndEveryManifestValidates() {
    List<Path> files = YamlDocuments.filesUnder(ProjectPaths.k8s());
    List<String> problems = new ArrayList<>();
    int documents = 0;
    for (Path file : files) {
      List<JsonNode> parsed = YamlDocuments.parse(file);
      assertThat(parsed).as(file.toString()).isNotEmpty();
      if (isData(file)) {
        continue;
      }
      for (JsonNode document : parsed) {
        documents++;
        validator
            .problems(document)
            .forEach(p -> problems.add(ProjectPaths.k8s().relativize(file) + ": " + p));
      }
    }

    assertThat(problems).isEmpty();
    // 8 kustomizations (base, its 5 parts, 2 overlays), what they list, and 2 data files
    assertThat(files).hasSize(25);
    assertThat(documents).isEqualTo(34);
  }

  @Test
  void everyFolderWithManifestsIsAKustomization() {
    List<Path> folders =
        YamlDocuments.filesUnder(ProjectPaths.k8s()).stream()
            .filter(file -> !isData(file))
            .map(Path::getParent)
            .distinct()
            .toList();

    assertThat(folders)
        .isNotEmpty()
        .allSatisfy(folder -> assertThat(folder.resolve("kustomization.yaml")).isRegularFile());
  }

  private static boolean isData(Path file) {
    return file.getParent().getFileName().toString().equals(DATA_FOLDER);
  }
}
