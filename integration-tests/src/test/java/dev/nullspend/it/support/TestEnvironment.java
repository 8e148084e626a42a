package dev.nullspend.it.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The paths failsafe hands to the tests as system properties (see integration-tests/pom.xml). */
public final class TestEnvironment {

    private TestEnvironment() {
    }

    /** {@code nullspend.agent.jar}: the shaded agent built by {@code mvn package}. */
    public static Path agentJar() {
        return existingFile("nullspend.agent.jar");
    }

    /** {@code nullspend.demo.jar}: this module's runnable demo jar. */
    public static Path demoJar() {
        return existingFile("nullspend.demo.jar");
    }

    /** {@code <it.java.home>/bin/java}: the JDK that runs the forked programs (17, or 25 in CI's second pass). */
    public static Path javaExecutable() {
        String home = System.getProperty("it.java.home", System.getProperty("java.home"));
        return Path.of(home, "bin", "java");
    }

    private static Path existingFile(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the ITs through failsafe (mvn verify)");
        }
        Path path = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(property + " = " + path + " does not exist: run mvn package first");
        }
        return path;
    }
}
