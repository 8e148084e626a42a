package dev.nullspend.bench;

import dev.nullspend.agent.provider.ProviderHosts;
import dev.nullspend.agent.provider.LlmRequest;
import dev.nullspend.agent.provider.Usage;
import dev.nullspend.agent.provider.UsageParser;
import dev.nullspend.agent.provider.anthropic.AnthropicMessagesApi;
import dev.nullspend.agent.provider.openai.OpenAiChatApi;
import dev.nullspend.it.fake.FakeUsage;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;

/**
 * Checks how much memory the usage parser needs however long the stream: feeds generated streams of
 * {@code args[0]} MB (default 100) in 8 KiB chunks, never holding more than one chunk, and prints for
 * each the usage it read and the peak heap in use while it ran (garbage included). The cases
 * ({@code args[1..]}, default all): {@code openai} and {@code anthropic}, many small events as
 * providers send them, and {@code openai-one-long-event}, the content as one event as long as the
 * stream. Run it with a heap far smaller than the stream, e.g.
 * <pre>java -Xmx32m -cp benchmarks.jar:nullspend-agent.jar dev.nullspend.bench.ParserMemoryCheck 100 openai</pre>
 */
public final class ParserMemoryCheck {
    private static final FakeUsage OPENAI_USAGE = new FakeUsage(1200, 0, 80, 0);

    private ParserMemoryCheck() {
    }

    public static void main(String[] args) {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 100) * 1_000_000L;
        List<String> cases = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("openai", "openai-one-long-event", "anthropic");
        System.out.printf(Locale.ROOT, "max heap %d MB%n", Runtime.getRuntime().maxMemory() / 1_000_000);
        for (String name : cases) {
            check(name, request(name), stream(name, bytes));
        }
    }

    private static LlmRequest request(String name) {
        return name.equals("anthropic")
                ? new LlmRequest(new AnthropicMessagesApi(ProviderHosts.BUILT_IN), "anthropic", AnthropicMessagesApi.ENDPOINT, "claude-sonnet-4-5", true, null, -1, null)
                : new LlmRequest(new OpenAiChatApi(ProviderHosts.BUILT_IN), "openai", OpenAiChatApi.ENDPOINT, "gpt-4o-mini", true, null, -1, null);
    }

    private static SyntheticSseStream stream(String name, long bytes) {
        return switch (name) {
            case "openai" -> SyntheticSseStream.openAi("gpt-4o-mini", OPENAI_USAGE, bytes);
            case "openai-one-long-event" -> SyntheticSseStream.openAiOneLongEvent("gpt-4o-mini", OPENAI_USAGE, bytes);
            case "anthropic" -> SyntheticSseStream.anthropic("claude-sonnet-4-5", 1200, 80, bytes);
            default -> throw new IllegalArgumentException("cases are openai, openai-one-long-event and anthropic, not " + name);
        };
    }

    private static void check(String name, LlmRequest request, SyntheticSseStream stream) {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        UsageParser parser = request.newParser("text/event-stream");
        stream.feed(parser);
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        Usage usage = parser.usage();
        System.out.printf(Locale.ROOT, "%s: %d MB in %.2f s (%.0f MB/s), peak heap used %.1f MB, usage %s%n",
                name, stream.size() / 1_000_000, seconds, stream.size() / 1e6 / seconds, peak / 1e6, usage);
    }
}
