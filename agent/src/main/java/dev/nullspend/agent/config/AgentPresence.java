package dev.nullspend.agent.config;

/**
 * Whether, and how, the agent runs in a JVM: a system property the agent sets when it starts, which
 * {@code java -jar nullspend-agent.jar attach} reads from the target JVM (docs/attach.md). One agent
 * per JVM: a second start (a second attach, or an attach into a JVM started with {@code -javaagent})
 * is refused by the agent already there, and the attach command learns it from this property.
 *
 * <p>The attach command passes an id of its own in front of the options ({@code attach-id=ID;…}),
 * so that it can tell its own start from another one made at the same time. The id is taken out
 * before the options are read as configuration.
 */
public final class AgentPresence {
    /** Outside {@code nullspend.}: it is no setting, and the configuration never reads it. */
    public static final String PROPERTY = "dev.nullspend.agent.started";
    static final String JAVAAGENT = "javaagent";
    private static final String ATTACH = "attach ";
    private static final String ATTACH_ID = "attach-id=";
    private static final String STARTING = " starting";
    private static final String STARTED = " started";
    private static final String FAILED = " failed";

    /** What an attach achieved, read from the target's {@link #PROPERTY} after loading the agent. */
    public enum Outcome {
        /** This attach started the agent. */
        STARTED,
        /** This attach loaded the agent, which did not start (it says why in the target's log). */
        FAILED,
        /** The agent was already running: this attach was refused and changed nothing. */
        REFUSED,
        /** The agent never got as far as claiming the JVM (switched off by {@code nullspend.enabled=false}, or failed). */
        NOT_STARTED
    }

    private AgentPresence() {
    }

    /** The options the attach command hands to the target: its id, then the user's {@code key=value;…}. */
    public static String withAttachId(String id, String options) {
        return ATTACH_ID + id + (options == null || options.isEmpty() ? "" : ";" + options);
    }

    /** The attach command's id in these agent arguments, or null (a {@code -javaagent}, or another attach tool). */
    public static String attachId(String agentArgs) {
        if (agentArgs == null || !agentArgs.startsWith(ATTACH_ID)) {
            return null;
        }
        int end = agentArgs.indexOf(';');
        return agentArgs.substring(ATTACH_ID.length(), end < 0 ? agentArgs.length() : end).trim();
    }

    /** The agent arguments without the attach command's id: the configuration part. */
    public static String withoutAttachId(String agentArgs) {
        if (agentArgs == null || !agentArgs.startsWith(ATTACH_ID)) {
            return agentArgs;
        }
        int end = agentArgs.indexOf(';');
        return end < 0 ? "" : agentArgs.substring(end + 1);
    }

    /** The value set when an agent starts: by {@code -javaagent}, or by an attach (id null: not our command). */
    public static String starting(boolean premain, String attachId) {
        return premain ? JAVAAGENT : ATTACH + (attachId == null ? "-" : attachId) + STARTING;
    }

    /** The value once an attached agent's start has finished. */
    public static String finished(String attachId, boolean started) {
        return ATTACH + (attachId == null ? "-" : attachId) + (started ? STARTED : FAILED);
    }

    /** What the attach with {@code attachId} achieved, given the target's {@link #PROPERTY} after it. */
    public static Outcome outcome(String value, String attachId) {
        if (value == null) {
            return Outcome.NOT_STARTED;
        }
        if (value.equals(ATTACH + attachId + STARTED)) {
            return Outcome.STARTED;
        }
        if (value.startsWith(ATTACH + attachId + " ")) {
            return Outcome.FAILED;
        }
        return Outcome.REFUSED;
    }

    /** How the agent already running was started, for the refusal line: "started with -javaagent" or "attached earlier". */
    public static String how(String value) {
        return JAVAAGENT.equals(value) ? "started with -javaagent" : "attached earlier";
    }
}
