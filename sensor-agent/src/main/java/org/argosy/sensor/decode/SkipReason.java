package org.argosy.sensor.decode;

/** Why a packet was not metered; the sensor counts packets per reason. */
public enum SkipReason {
  /** The capture file's record header was unusable (e.g. a timestamp out of range). */
  BAD_CAPTURE_RECORD,
  UNSUPPORTED_LINK_TYPE,
  TRUNCATED_LINK_HEADER,
  TRUNCATED_VLAN_TAG,
  TRUNCATED_MPLS_LABEL,
  TOO_MANY_ENCAPSULATIONS,
  TRUNCATED_IPV4_HEADER,
  BAD_IPV4_HEADER,
  TRUNCATED_IPV6_HEADER,
  BAD_IPV6_EXTENSION_HEADER,
  TRUNCATED_TRANSPORT_HEADER,
  TRUNCATED_ARP,
  BAD_IP_VERSION
}
