package dev.nullspend.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Finds the built agent jar: {@code -Dnullspend.agent.jar}, else {@code agent/target/nullspend-agent.jar} from the repo root or a module. */
final class AgentJar {
    private AgentJar() {
    }

    static File locate() {
        String explicit = System.getProperty("nullspend.agent.jar");
        if (explicit != null) {
            return existing(new File(explicit));
        }
        for (String candidate : new String[] {"agent/target/nullspend-agent.jar", "../agent/target/nullspend-agent.jar"}) {
            File f = new File(candidate);
            if (f.isFile()) {
                return f;
            }
        }
        throw new IllegalStateException("agent jar not found: build it with 'mvn -q -DskipTests package' "
                + "from the repository root, or pass -Dnullspend.agent.jar=/path/nullspend-agent.jar");
    }

    /** {@code -Dnullspend.agent.jars=a.jar,b.jar}: several builds side by side; else the one {@link #locate} finds. */
    static List<File> all() {
        String jars = System.getProperty("nullspend.agent.jars");
        if (jars == null) {
            return List.of(locate());
        }
        List<File> agents = new ArrayList<>();
        for (String jar : jars.split(",")) {
            agents.add(existing(new File(jar.trim())));
        }
        return agents;
    }

    private static File existing(File f) {
        if (!f.isFile()) {
            throw new IllegalStateException("no agent jar at " + f.getAbsolutePath());
        }
        return f;
    }
}
