package dev.nullspend.it;

import dev.nullspend.it.support.ForkedJvm;
import java.util.List;

/**
 * What the Netty-based clients' tests share: their programs run with Netty's paranoid leak detection, so a
 * buffer the agent held, replaced or released wrongly is reported ({@code LEAK:} on standard error).
 */
abstract class NettyClientIT extends ClientContractIT {

    @Override
    protected ForkedJvm.Builder program(List<List<String>> calls) {
        return super.program(calls).systemProperty("io.netty.leakDetection.level", "paranoid");
    }
}
