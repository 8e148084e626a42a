package dev.nullspend.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainJsonTest {

    private static Object read(String json) throws IOException {
        return PlainJson.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String write(Object value) {
        return new String(PlainJson.write(value), StandardCharsets.UTF_8);
    }

    @Test
    void readsPlainValuesUnmodifiable() throws IOException {
        Object value = read("{\"a\":[1,2.5,\"s\",true,null],\"big\":12345678901234567890,\"o\":{}}");

        assertThat(value).isEqualTo(new LinkedHashMap<>(Map.of("a", java.util.Arrays.asList(1L, 2.5, "s", true, null),
                "big", new BigInteger("12345678901234567890"), "o", Map.of())));
        assertThatThrownBy(() -> ((Map<?, ?>) value).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> read("{\"a\":1} trailing")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("")).isInstanceOf(IOException.class);
    }

    @Test
    void writesWhatAProgramHandsIn() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("n", 3);
        m.put(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        m.put("d", 0.5);
        m.put("nan", Double.NaN);
        m.put("dec", new BigDecimal("1.10"));
        m.put("arr", new int[] {1, 2});
        m.put("list", List.of("x", false));
        m.put("null", null);
        m.put("other", new StringBuilder("sb"));

        assertThat(write(m)).isEqualTo("{\"n\":3,\"MONDAY\":\"FRIDAY\",\"d\":0.5,\"nan\":\"NaN\",\"dec\":1.10,"
                + "\"arr\":[1,2],\"list\":[\"x\",false],\"null\":null,\"other\":\"sb\"}");
    }

    @Test
    void aCyclicValueIsRefusedInsteadOfOverflowingTheStack() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        assertThatThrownBy(() -> PlainJson.write(cycle)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not JSON: nested deeper than 64 levels (or cyclic)");
    }

    @Test
    void wholeNumbersAreLongsHoweverTheyAreWritten() throws Exception {
        assertThat(PlainJson.wholeNumber(read("5000000"))).isEqualTo(5_000_000L);
        assertThat(PlainJson.wholeNumber(read("5000000.0"))).isEqualTo(5_000_000L);
        assertThat(PlainJson.wholeNumber(read("1.5"))).isNull();
        assertThat(PlainJson.wholeNumber(read("1e300"))).as("beyond what a long holds exactly").isNull();
        assertThat(PlainJson.wholeNumber(read("\"12\""))).as("a string is no number").isNull();
    }
}
