package org.argosy.tools.print;

/**
 * Titles and widths of key-field columns: those of the record column of the same name, masks
 * keeping their suffix (SrcAddr/24).
 */
final class KeyTitles {

  private KeyTitles() {}

  static String title(String keyName) {
    FlowColumn column = column(keyName);
    return column == null ? keyName : column.title() + suffix(keyName);
  }

  static int width(String keyName) {
    FlowColumn column = column(keyName);
    return Math.max(title(keyName).length(), column == null ? 6 : column.width());
  }

  private static FlowColumn column(String keyName) {
    int slash = keyName.indexOf('/');
    String field = slash < 0 ? keyName : keyName.substring(0, slash);
    for (FlowColumn column : FlowColumn.values()) {
      if (column.argusName().equals(field)) {
        return column;
      }
    }
    return null;
  }

  private static String suffix(String keyName) {
    int slash = keyName.indexOf('/');
    return slash < 0 ? "" : keyName.substring(slash);
  }
}
