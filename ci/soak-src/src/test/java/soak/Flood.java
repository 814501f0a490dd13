package soak;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** What a flood test prints: lines of many lengths (tabs, carriage returns, UTF-8), then long lines, the last without a newline. */
final class Flood {

    private Flood() {
    }

    static byte[] content(int index) {
        SplittableRandom random = new SplittableRandom(index);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 \t\r<>&\"'é€".getBytes(StandardCharsets.UTF_8);
        int big = index % 10 == 0 ? 3 : 1; // every tenth prints a few MB
        while (out.size() < big * 512 * 1024) {
            int length = random.nextInt(300);
            for (int i = 0; i < length; i++) {
                out.write(alphabet[random.nextInt(alphabet.length)]);
            }
            out.write('\n');
        }
        out.write(repeat((byte) 'L', 256 * 1024), 0, 256 * 1024);
        out.write('\n');
        byte[] last = repeat((byte) ('a' + index % 26), big * 512 * 1024 + index);
        out.write(last, 0, last.length);
        return out.toByteArray();
    }

    private static byte[] repeat(byte b, int n) {
        byte[] bytes = new byte[n];
        java.util.Arrays.fill(bytes, b);
        return bytes;
    }
}
