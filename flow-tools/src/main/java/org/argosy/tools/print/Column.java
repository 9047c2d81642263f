package org.argosy.tools.print;

/** A printed column: its field name (JSON key), title, width and alignment. */
public interface Column {

  /** The Argus field name, as typed after -s and used as JSON key. */
  String argusName();

  String title();

  int width();

  boolean rightAligned();

  /** Whether values are numbers (JSON prints them unquoted). */
  boolean numeric();
}
