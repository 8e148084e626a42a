package dev.nullspend.agent.cli.report;

/** Escaping for text and attribute values of the HTML page (keys come from the ledger: never trusted). */
final class Html {
    private Html() {
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < ' ' && c != '\t' ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
