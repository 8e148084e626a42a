package dev.nullspend.agent.provider.bedrock;

import dev.nullspend.agent.provider.LlmApi;
import dev.nullspend.agent.provider.ProviderFamily;
import dev.nullspend.agent.provider.ProviderSettings;
import dev.nullspend.agent.provider.Vendor;
import java.util.List;

/**
 * AWS Bedrock's runtime: Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream
 * (docs/providers/bedrock.md). Its hosts ({@code bedrock-runtime[-fips].{region}.amazonaws.com})
 * are a pattern, which the APIs check themselves; the vendor declares none, so no other API takes
 * an AWS host for a Bedrock one. Requests are signed over their body (SigV4) and never rewritten.
 */
public final class BedrockFamily extends ProviderFamily {

    /** Config name and provider id {@code bedrock}; models without a cap reserve the general default. */
    public static final Vendor BEDROCK = Vendor.named("bedrock");

    public BedrockFamily() {
        super("bedrock", BEDROCK);
    }

    @Override
    public List<LlmApi> apis(ProviderSettings settings) {
        return List.of(new ConverseApi(settings), new InvokeModelApi(settings));
    }
}
