package org.argosy.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks one Kubernetes manifest document: custom resources against the JSON schema of their kind
 * (from the shared schema folder), core kinds by loading them into fabric8's typed model with
 * unknown fields rejected. A kind with neither is itself a problem, so nothing goes unchecked.
 */
final class ManifestValidator {

  /** The core kinds the manifests use, by apiVersion and kind. */
  private static final Map<String, Class<?>> CORE_KINDS =
      Map.of(
          "v1/Namespace", Namespace.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "apps/v1/DaemonSet", DaemonSet.class,
          "rbac.authorization.k8s.io/v1/Role", Role.class,
          "rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class);

  /** kustomize's own files: read by kustomize, not applied to a cluster. */
  private static final String KUSTOMIZE_API = "kustomize.config.k8s.io/";

  static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Path schemaFolder;
  private final SchemaRegistry schemas =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
  private final Map<Path, Schema> loaded = new HashMap<>();

  ManifestValidator(Path schemaFolder) {
    this.schemaFolder = schemaFolder;
  }

  /** The validator over {@code ../shared/k8s-schemas}. */
  static ManifestValidator forSharedSchemas() {
    return new ManifestValidator(ProjectPaths.shared().resolve("k8s-schemas"));
  }

  /** The problems of one document, empty when it is valid. */
  List<String> problems(JsonNode document) {
    String apiVersion = document.path("apiVersion").asText("");
    String kind = document.path("kind").asText("");
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return List.of("no apiVersion or kind");
    }
    if (apiVersion.startsWith(KUSTOMIZE_API)) {
      return List.of();
    }
    Class<?> coreType = CORE_KINDS.get(apiVersion + "/" + kind);
    if (coreType != null) {
      return typedModelProblems(document, coreType);
    }
    int slash = apiVersion.indexOf('/');
    if (slash < 0 || !apiVersion.substring(0, slash).contains(".")) {
      return List.of("core kind " + apiVersion + " " + kind + " has no typed model here");
    }
    // the shared folder's layout: <group>/<kind in lower case>_<version>.json
    Path schemaFile =
        schemaFolder
            .resolve(apiVersion.substring(0, slash))
            .resolve(kind.toLowerCase() + "_" + apiVersion.substring(slash + 1) + ".json");
    if (!Files.isRegularFile(schemaFile)) {
      return List.of(
          "no schema for " + apiVersion + " " + kind + " (looked for " + schemaFile + ")");
    }
    return schema(schemaFile).validate(document).stream().map(Object::toString).toList();
  }

  private Schema schema(Path file) {
    return loaded.computeIfAbsent(
        file,
        f -> {
          try (InputStream in = Files.newInputStream(f)) {
            return schemas.getSchema(in);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static List<String> typedModelProblems(JsonNode document, Class<?> type) {
    Object model;
    try {
      model = STRICT.treeToValue(document, type);
    } catch (IOException e) {
      return List.of(e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    collectUnknownFields(model, "", problems);
    return problems;
  }

  /**
   * fabric8's model classes keep fields they do not know in an "additionalProperties" map instead
   * of failing, whatever the mapper says; so walk the loaded tree and report every such field.
   */
  static void collectUnknownFields(Object value, String path, List<String> problems) {
    if (value instanceof Collection<?> items) {
      int index = 0;
      for (Object item : items) {
        collectUnknownFields(item, path + "[" + index++ + "]", problems);
      }
      return;
    }
    if (value instanceof Map<?, ?> entries) {
      entries.forEach((key, item) -> collectUnknownFields(item, path + "." + key, problems));
      return;
    }
    if (value == null || !value.getClass().getPackageName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      String name = getter.getName();
      if (getter.getParameterCount() != 0 || !name.startsWith("get") || name.equals("getClass")) {
        continue;
      }
      Object property = invoke(getter, value);
      if (name.equals("getAdditionalProperties")) {
        ((Map<?, ?>) property)
            .keySet()
            .forEach(unknown -> problems.add("unknown field " + path + "." + unknown));
      } else {
        String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
        collectUnknownFields(property, path + "." + field, problems);
      }
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter.toString(), e);
    }
  }
}
