package org.argosy.kafka.embedded;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.PreboundSocketFactoryManager;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * Makes the test kit listen on 127.0.0.1 only.
 *
 * <p>KafkaClusterTestKit binds every listener socket itself before the node starts (so the quorum
 * voters can name the controller port), always on the wildcard address, whatever the {@code
 * listeners} config says; a demo broker would then be reachable from the network. It offers no hook
 * for the address, so this class binds loopback sockets and puts them into the builder's socket
 * manager, where the test kit takes them as if it had bound them. Reflection on two private fields,
 * checked by EmbeddedKafkaITCase: revisit when upgrading Kafka.
 */
final class LoopbackListeners {
  static final String HOST = "127.0.0.1";

  private LoopbackListeners() {}

  /** Binds one loopback socket per listener name and returns each listener's port. */
  static Map<String, Integer> bind(
      KafkaClusterTestKit.Builder builder, int nodeId, String... listenerNames) throws IOException {
    Map<String, ServerSocketChannel> channels = new LinkedHashMap<>();
    try {
      for (String listener : listenerNames) {
        channels.put(listener, openLoopbackSocket(listener));
      }
      socketsByNode(builder).computeIfAbsent(nodeId, id -> new HashMap<>()).putAll(channels);
    } catch (IOException | RuntimeException e) {
      channels.values().forEach(channel -> Utils.closeQuietly(channel, "loopback listener"));
      throw e;
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (Map.Entry<String, ServerSocketChannel> entry : channels.entrySet()) {
      ports.put(entry.getKey(), entry.getValue().socket().getLocalPort());
    }
    return ports;
  }

  private static ServerSocketChannel openLoopbackSocket(String listener) throws IOException {
    return ServerSocketFactory.INSTANCE.openServerSocket(
        listener, new InetSocketAddress(HOST, 0), -1, -1);
  }

  @SuppressWarnings("unchecked")
  private static Map<Integer, Map<String, ServerSocketChannel>> socketsByNode(
      KafkaClusterTestKit.Builder builder) {
    try {
      Object manager =
          readField(KafkaClusterTestKit.Builder.class, "socketFactoryManager", builder);
      return (Map<Integer, Map<String, ServerSocketChannel>>)
          readField(PreboundSocketFactoryManager.class, "sockets", manager);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("KafkaClusterTestKit internals changed: " + e, e);
    }
  }

  private static Object readField(Class<?> type, String name, Object target)
      throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(target);
  }
}
