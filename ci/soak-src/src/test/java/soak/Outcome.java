package soak;


/** One finished test as the listener saw it in the test JVM; one line of outcomes.tsv. */
record Outcome(String lap, String method, int index, String status, String type, String message, String causeType,
        String causeMessage, String leftovers) {

    String line() {
        return String.join("\t", lap, method, Integer.toString(index), status, escape(type), escape(message),
                escape(causeType), escape(causeMessage), escape(leftovers));
    }

    static Outcome parse(String line) {
        String[] f = line.split("\t", -1);
        return new Outcome(f[0], f[1], Integer.parseInt(f[2]), f[3], unescape(f[4]), unescape(f[5]), unescape(f[6]),
                unescape(f[7]), unescape(f[8]));
    }

    String describeThrowable() {
        return type == null ? "" : " (" + type + ": " + Expectations.quote(message) + ")";
    }

    String name() {
        return lap + "." + method + "[" + index + "]";
    }

    private static String escape(String s) {
        if (s == null) {
            return "\\0";
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String unescape(String s) {
        if (s.equals("\\0")) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

}
