package org.argosy.query.filter;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.argosy.query.IpAddresses;
import org.argosy.query.ProtocolNames;
import org.argosy.query.filter.FilterLexer.Token;

/**
 * Recursive-descent parser of Argus's filter language, compiling straight to {@link Term}s: a
 * {@link FlowPredicate} and the record fields it reads, collected as each primitive is built.
 *
 * <pre>
 * filter    := or
 * or        := and (('or' | '||') and)*
 * and       := unary (('and' | '&&') unary)*
 * unary     := ('not' | '!') unary | '(' or ')' | primitive
 * primitive := [qualifier] ('host' ADDR | 'net' ADDR['/'LEN] | ('port' | 'portrange') PORT['-'PORT]
 *                           | counter comparison NUMBER)
 *            | protocol | 'proto' (NUMBER | NAME) | 'vlan' NUMBER | 'mpls' NUMBER | state | event
 * qualifier := 'src' | 'dst' | 'src' 'or' 'dst' | 'src' 'and' 'dst'
 * counter   := pkts | bytes | appbytes | ttl | tos | dur | load | rate
 * comparison:= gt | gte | lt | lte | eq | ne | > | >= | < | <= | = | == | !=
 * protocol  := tcp | udp | icmp | icmp6 | igmp | gre | esp | ah | ospf | pim | sctp | vrrp
 *            | ip | ip6 | ipv6 | arp | rarp
 * state     := con | req | acc | clo | int | tim | eco | ecr | urp | urh | txd | ...  (Argus state)
 * event     := syn | synack | fin | reset | rst
 * </pre>
 *
 * Addresses and ports default to {@code src or dst}; counters without a qualifier compare the flow
 * total ({@code bytes} = sbytes + dbytes). Keywords are case-insensitive. TCP events are read from
 * what a record carries (its cumulative state, direction and SYN-ACK timing): {@code syn} holds for
 * every record of a TCP flow whose opening was seen, where Argus holds it only for the record that
 * saw the SYN; merged per flow both agree.
 */
final class FilterParser {

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;
  private static final int ETHERTYPE_ARP = 0x0806;
  private static final int ETHERTYPE_RARP = 0x8035;
  private static final int ICMPV6 = 58;
  private static final int MAPPED_PREFIX_BITS = 96;

  /** The well-known service names Argus prints, accepted for ports. */
  private static final Map<String, Integer> SERVICES =
      Map.ofEntries(
          Map.entry("ftp-data", 20),
          Map.entry("ftp", 21),
          Map.entry("ssh", 22),
          Map.entry("telnet", 23),
          Map.entry("smtp", 25),
          Map.entry("domain", 53),
          Map.entry("http", 80),
          Map.entry("ntp", 123),
          Map.entry("https", 443),
          Map.entry("syslog", 514));

  private static final Map<String, Integer> ETHERTYPES =
      Map.of(
          "ip", ETHERTYPE_IPV4,
          "ip6", ETHERTYPE_IPV6,
          "ipv6", ETHERTYPE_IPV6,
          "arp", ETHERTYPE_ARP,
          "rarp", ETHERTYPE_RARP);

  /** Argus state names that match the record's state as they are. */
  private static final List<String> STATES =
      List.of("req", "acc", "clo", "tim", "int", "eco", "ecr", "urp", "urh", "txd", "ptb", "ttl");

  private static final String TERMS =
      "a filter term (host, net, port, portrange, a protocol such as tcp, a comparison such as"
          + " 'bytes gt 1000', a state or TCP event such as con, syn, fin, reset)";

  private final String filter;
  private final List<Token> tokens;
  private int position;

  FilterParser(String filter) {
    this.filter = filter;
    this.tokens = FilterLexer.tokens(filter);
  }

  Term parse() {
    Term term = or();
    Token next = peek();
    if (!next.isEnd()) {
      throw fail(next, "expected 'and', 'or' or the end of the filter, found " + next.describe());
    }
    return term;
  }

  private Term or() {
    Term term = and();
    while (isWord(peek(), "or") || peek().text().equals("||")) {
      advance();
      term = term.or(and());
    }
    return term;
  }

  private Term and() {
    Term term = unary();
    while (isWord(peek(), "and") || peek().text().equals("&&")) {
      advance();
      term = term.and(unary());
    }
    return term;
  }

  private Term unary() {
    Token token = peek();
    if (isWord(token, "not") || token.text().equals("!")) {
      advance();
      return unary().negate();
    }
    if (token.text().equals("(")) {
      advance();
      Term inner = or();
      Token close = peek();
      if (!close.text().equals(")")) {
        throw fail(
            close,
            "expected ')' to close the '(' at column "
                + token.column()
                + ", found "
                + close.describe());
      }
      advance();
      return inner;
    }
    return primitive();
  }

  private Term primitive() {
    Token token = advance();
    String word = word(token);
    if (word.equals("src") || word.equals("dst")) {
      return qualified(token);
    }
    switch (word) {
      case "host", "net", "port", "portrange" -> {
        return sided(token, Side.EITHER, false);
      }
      case "proto" -> {
        return protocolNumber(advance());
      }
      case "vlan" -> {
        int id = integer(advance(), "a VLAN id", 4095);
        return Term.reading(r -> r.getVlanIds().contains(id), "vlanIds");
      }
      case "mpls" -> {
        int label = integer(advance(), "an MPLS label", 0xFFFFF);
        return Term.reading(r -> r.getMplsLabels().contains(label), "mplsLabels");
      }
      case "con" -> {
        // Argus: the responder answered (TCP connected or refused, UDP/ICMP replied). A TCP
        // direction is '->' once the SYN was seen, answered or not: read the answer elsewhere.
        return Term.reading(
            FilterParser::responderAnswered,
            "dpkts",
            "direction",
            "proto",
            "synAckMicros",
            "state");
      }
      case "syn" -> {
        return Term.reading(r -> isTcp(r) && !r.getDirection().contains("?"), "proto", "direction");
      }
      case "synack" -> {
        return Term.reading(
            r -> isTcp(r) && (r.getSynAckMicros() != null || r.getState().equals("ACC")),
            "proto",
            "synAckMicros",
            "state");
      }
      case "fin" -> {
        return Term.reading(
            r -> isTcp(r) && (r.getState().equals("FIN") || r.getState().equals("CLO")),
            "proto",
            "state");
      }
      case "reset", "rst" -> {
        return Term.reading(r -> r.getState().equals("RST"), "state");
      }
      default -> {
        // handled below
      }
    }
    if (Counter.byWord(word) != null) {
      return sided(token, Side.EITHER, false);
    }
    if (ETHERTYPES.containsKey(word)) {
      int etherType = ETHERTYPES.get(word);
      return Term.reading(r -> r.getEtherType() == etherType, "etherType");
    }
    Integer protocol = protocolByName(word);
    if (protocol != null) {
      return protocol(protocol);
    }
    if (STATES.contains(word)) {
      String state = word.toUpperCase(Locale.ROOT);
      return Term.reading(r -> r.getState().equals(state), "state");
    }
    String hint = isNumber(token.text()) ? " (repeat the keyword, e.g. 'port 80 or port 443')" : "";
    throw fail(token, "expected " + TERMS + ", found " + token.describe() + hint);
  }

  /** After {@code src} or {@code dst}: an optional second half of the qualifier, then the term. */
  private Term qualified(Token first) {
    Side side = word(first).equals("src") ? Side.SRC : Side.DST;
    if (side == Side.SRC
        && (isWord(peek(), "or") || isWord(peek(), "and"))
        && isWord(peekAt(1), "dst")) {
      side = isWord(peek(), "or") ? Side.EITHER : Side.BOTH;
      advance();
      advance();
    }
    return sided(advance(), side, true);
  }

  /** The terms that take a side: addresses, ports and counters. */
  private Term sided(Token token, Side side, boolean qualified) {
    String word = word(token);
    switch (word) {
      case "host" -> {
        Token operand = advance();
        if (operand.text().contains("/")) {
          throw fail(
              operand,
              "'host' takes an address without /length; write 'net " + operand.text() + "'");
        }
        return addressPrefix(side, address(operand, operand.text()), 128);
      }
      case "net" -> {
        return net(side, advance());
      }
      case "port" -> {
        // Argus writes ranges as 'port 20-25', tcpdump as 'portrange 20-25': both work.
        Token operand = advance();
        if (operand.text().indexOf('-') > 0) {
          return portRange(side, operand);
        }
        int port = port(operand);
        return ports(side, port, port);
      }
      case "portrange" -> {
        return portRange(side, advance());
      }
      default -> {
        Counter counter = Counter.byWord(word);
        if (counter == null) {
          throw fail(
              token,
              "expected host, net, port, portrange or a counter (pkts, bytes, appbytes, ttl, tos,"
                  + " load, rate) after the qualifier, found "
                  + token.describe());
        }
        if (qualified && !counter.hasSides()) {
          throw fail(token, "'" + word + "' is a property of the whole flow; drop 'src'/'dst'");
        }
        Token operator = advance();
        Comparison comparison = Comparison.byText(operator.text().toLowerCase(Locale.ROOT));
        if (comparison == null) {
          throw fail(
              operator,
              "expected a comparison (gt, gte, lt, lte, eq, ne, >, >=, <, <=, =, !=) after '"
                  + word
                  + "', found "
                  + operator.describe());
        }
        return counter.compare(side, qualified, comparison, number(advance()));
      }
    }
  }

  private Term net(Side side, Token operand) {
    String text = operand.text();
    int slash = text.indexOf('/');
    String literal = slash < 0 ? text : text.substring(0, slash);
    int prefixLength;
    if (slash >= 0) {
      prefixLength = -1;
      String length = text.substring(slash + 1);
      if (length.matches("\\d{1,3}")) {
        prefixLength = Integer.parseInt(length);
      }
    } else if (literal.matches("\\d{1,3}(\\.\\d{1,3}){0,3}")) {
      // tcpdump's abbreviated networks: 'net 10.77' is 10.77.0.0/16.
      int octets = literal.split("\\.").length;
      prefixLength = 8 * octets;
      literal = literal + ".0".repeat(4 - octets);
    } else {
      prefixLength = 128;
    }
    IpAddress address = address(operand, literal);
    boolean v4 = IpAddresses.isIpv4(address);
    int maxLength = v4 ? 32 : 128;
    if (prefixLength < 0 || prefixLength > maxLength) {
      throw fail(
          operand,
          "expected a prefix length 0.."
              + maxLength
              + " after '/' in '"
              + text
              + "'"
              + (v4 ? " (an IPv4 network)" : ""));
    }
    return addressPrefix(side, address, v4 ? MAPPED_PREFIX_BITS + prefixLength : prefixLength);
  }

  /** Records whose address on {@code side} starts with the first {@code bits} of {@code prefix}. */
  private static Term addressPrefix(Side side, IpAddress prefix, int bits) {
    byte[] want = prefix.bytes().clone();
    byte[] mask = new byte[16];
    for (int i = 0; i < 16; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      mask[i] = (byte) (0xff << (8 - keep));
      want[i] &= mask[i];
    }
    return side.combine(
        Term.reading(r -> inPrefix(r.getSaddr(), want, mask), "saddr"),
        Term.reading(r -> inPrefix(r.getDaddr(), want, mask), "daddr"));
  }

  private static boolean inPrefix(IpAddress address, byte[] want, byte[] mask) {
    if (address == null) {
      return false;
    }
    byte[] bytes = address.bytes();
    for (int i = 15; i >= 0; i--) {
      if ((bytes[i] & mask[i]) != want[i]) {
        return false;
      }
    }
    return true;
  }

  private Term portRange(Side side, Token operand) {
    String text = operand.text();
    int dash = text.indexOf('-');
    if (dash <= 0 || dash == text.length() - 1) {
      throw fail(operand, "expected a port range such as 1-1024, found " + operand.describe());
    }
    int low = port(operand, text.substring(0, dash));
    int high = port(operand, text.substring(dash + 1));
    if (low > high) {
      throw fail(
          operand, "port range " + text + " is empty: the first port must not exceed the last");
    }
    return ports(side, low, high);
  }

  private static Term ports(Side side, int low, int high) {
    return side.combine(
        Term.reading(
            r -> r.getSport() != null && r.getSport() >= low && r.getSport() <= high, "sport"),
        Term.reading(
            r -> r.getDport() != null && r.getDport() >= low && r.getDport() <= high, "dport"));
  }

  private Term protocolNumber(Token operand) {
    String word = word(operand);
    Integer number = isNumber(word) ? Integer.valueOf(integer(operand, "a protocol", 255)) : null;
    if (number == null) {
      number = protocolByName(word);
    }
    if (number == null) {
      throw fail(
          operand,
          "expected a protocol number 0..255 or name (tcp, udp, icmp, ...) after 'proto', found "
              + operand.describe());
    }
    return protocol(number);
  }

  private static Term protocol(int number) {
    return Term.reading(r -> r.getProto() != null && r.getProto() == number, "proto");
  }

  private static Integer protocolByName(String word) {
    if (word.equals("icmp6")) {
      return ICMPV6;
    }
    // 'ipv6' in a filter is the IPv6 family (an ethertype), not protocol 41.
    return word.equals("ipv6") ? null : ProtocolNames.number(word);
  }

  private static boolean responderAnswered(FlowRecord r) {
    return r.getDpkts() > 0
        || r.getDirection().startsWith("<")
        || (isTcp(r) && (r.getSynAckMicros() != null || r.getState().equals("RST")));
  }

  private static boolean isTcp(FlowRecord record) {
    return record.getProto() != null && record.getProto() == 6;
  }

  private IpAddress address(Token token, String literal) {
    // Only literals: a name such as 'dead.beef' must not become a DNS look-up.
    boolean v4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = literal.contains(":") && literal.matches("[0-9a-fA-F:.]+");
    if (!v4 && !v6) {
      throw fail(token, "expected an IPv4 or IPv6 address, found " + token.describe());
    }
    try {
      return IpAddresses.parse(literal);
    } catch (IllegalArgumentException e) {
      throw fail(token, "expected an IPv4 or IPv6 address, found " + token.describe());
    }
  }

  private int port(Token token) {
    return port(token, token.text());
  }

  private int port(Token token, String text) {
    Integer service = SERVICES.get(text.toLowerCase(Locale.ROOT));
    if (service != null) {
      return service;
    }
    if (!isNumber(text) || text.length() > 5 || Integer.parseInt(text) > 65535) {
      throw fail(
          token, "expected a port number 0..65535 or service name, found " + token.describe());
    }
    return Integer.parseInt(text);
  }

  private int integer(Token token, String what, int max) {
    String text = token.text();
    if (!isNumber(text) || text.length() > 7 || Integer.parseInt(text) > max) {
      throw fail(token, "expected " + what + " (0.." + max + "), found " + token.describe());
    }
    return Integer.parseInt(text);
  }

  private double number(Token token) {
    if (!token.text().matches("\\d+(\\.\\d+)?")) {
      throw fail(token, "expected a number, found " + token.describe());
    }
    return Double.parseDouble(token.text());
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
  }

  private static boolean isWord(Token token, String word) {
    return token.text().equalsIgnoreCase(word);
  }

  private static String word(Token token) {
    return token.text().toLowerCase(Locale.ROOT);
  }

  private Token peek() {
    return tokens.get(position);
  }

  private Token peekAt(int ahead) {
    return tokens.get(Math.min(position + ahead, tokens.size() - 1));
  }

  /** Returns the current token and moves on; the end token is never passed. */
  private Token advance() {
    Token token = tokens.get(position);
    if (!token.isEnd()) {
      position++;
    }
    return token;
  }

  private FilterSyntaxException fail(Token token, String problem) {
    return new FilterSyntaxException(filter, token.column(), problem);
  }
}
