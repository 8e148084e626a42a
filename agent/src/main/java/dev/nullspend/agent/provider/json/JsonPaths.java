package dev.nullspend.agent.provider.json;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed set of dotted JSON paths ({@code "usage.prompt_tokens_details.cached_tokens"}) compiled
 * into a trie, so a {@link JsonPicker} decides in one lookup per field name whether to descend,
 * record or skip. Immutable and thread-safe: compile once (a constant per API), share across
 * every picker. A path segment is an object field name, or an array element's index
 * ({@code usage.cacheDetails.0.inputTokens}); field names containing {@code '.'} cannot be addressed.
 */
public final class JsonPaths {

    private final Node root;
    private final Map<String, Integer> indexByPath;
    private final List<String> paths;
    /** Segments of the longest path: how deep a picker may descend. */
    private final int depth;

    private JsonPaths(Node root, Map<String, Integer> indexByPath, List<String> paths, int depth) {
        this.root = root;
        this.indexByPath = indexByPath;
        this.paths = paths;
        this.depth = depth;
    }

    public static JsonPaths of(String... paths) {
        return of(Arrays.asList(paths));
    }

    /** Compiles {@code paths}; duplicates are ignored. */
    public static JsonPaths of(Collection<String> paths) {
        Map<String, Integer> index = new LinkedHashMap<>();
        MutableNode root = new MutableNode();
        int depth = 0;
        for (String path : paths) {
            if (index.containsKey(path)) {
                continue;
            }
            String[] segments = path.split("\\.", -1);
            depth = Math.max(depth, segments.length);
            MutableNode node = root;
            for (String segment : segments) {
                if (segment.isEmpty()) {
                    throw new IllegalArgumentException("empty segment in JSON path '" + path + "'");
                }
                node = node.children.computeIfAbsent(segment, s -> new MutableNode());
            }
            node.index = index.size();
            index.put(path, node.index);
        }
        return new JsonPaths(root.freeze(), new HashMap<>(index), List.copyOf(index.keySet()), depth);
    }

    /** The wanted paths, in the order given (a path's position is its index). */
    public List<String> paths() {
        return paths;
    }

    public int size() {
        return paths.size();
    }

    /** The number of segments of the longest path (0 for none). */
    public int depth() {
        return depth;
    }

    /** The index of {@code path}, or -1 when it is not one of the wanted paths. */
    public int indexOf(String path) {
        Integer i = indexByPath.get(path);
        return i == null ? -1 : i;
    }

    Node root() {
        return root;
    }

    /**
     * One trie node: a wanted path ({@link #index} ≥ 0), a prefix of wanted paths (has children),
     * or both. Children are few (a handful of field names), so a linear scan beats hashing.
     */
    static final class Node {
        private static final int[] NONE = new int[0];

        final int index;
        private final String[] names;
        private final Node[] children;
        /** Indexes of every wanted path strictly below this node: cleared when a new value replaces this one. */
        final int[] descendants;

        private Node(int index, String[] names, Node[] children, int[] descendants) {
            this.index = index;
            this.names = names;
            this.children = children;
            this.descendants = descendants;
        }

        Node child(String name) {
            String[] n = names;
            for (int i = 0; i < n.length; i++) {
                if (n[i].equals(name)) {
                    return children[i];
                }
            }
            return null;
        }

        boolean hasChildren() {
            return children.length > 0;
        }
    }

    private static final class MutableNode {
        int index = -1;
        final Map<String, MutableNode> children = new LinkedHashMap<>();

        Node freeze() {
            String[] names = children.keySet().toArray(new String[0]);
            Node[] frozen = new Node[names.length];
            List<Integer> below = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                frozen[i] = children.get(names[i]).freeze();
                if (frozen[i].index >= 0) {
                    below.add(frozen[i].index);
                }
                for (int d : frozen[i].descendants) {
                    below.add(d);
                }
            }
            Collections.sort(below);
            int[] descendants = below.isEmpty() ? Node.NONE : below.stream().mapToInt(Integer::intValue).toArray();
            return new Node(index, names, frozen, descendants);
        }
    }
}
