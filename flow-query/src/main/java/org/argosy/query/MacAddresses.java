package org.argosy.query;

import org.argosy.avro.MacAddress;

/** MAC addresses as Argus prints them: six lower-case hex pairs separated by colons. */
public final class MacAddresses {

  private MacAddresses() {}

  public static String format(MacAddress mac) {
    StringBuilder text = new StringBuilder(17);
    for (byte b : mac.bytes()) {
      if (text.length() > 0) {
        text.append(':');
      }
      text.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return text.toString();
  }
}
