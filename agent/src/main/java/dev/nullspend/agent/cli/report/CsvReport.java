package dev.nullspend.agent.cli.report;

import java.math.BigDecimal;

/**
 * {@code --format csv}: a header line, then one line per group, highest cost first (RFC 4180
 * quoting). {@code costUsd} is the same amount in dollars, six decimals, for spreadsheets.
 */
final class CsvReport {
    static final String HEADER = "key,calls,costMicrodollars,inputTokens,outputTokens,costUsd";

    private CsvReport() {
    }

    static String render(SpendReport report) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Group g : report.groups()) {
            sb.append(quote(g.key())).append(',').append(g.calls()).append(',').append(g.costMicrodollars())
                    .append(',').append(g.inputTokens()).append(',').append(g.outputTokens())
                    .append(',').append(BigDecimal.valueOf(g.costMicrodollars(), 6).toPlainString()).append('\n');
        }
        return sb.toString();
    }

    static String quote(String field) {
        boolean plain = field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return plain ? field : '"' + field.replace("\"", "\"\"") + '"';
    }
}
