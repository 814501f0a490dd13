package dev.nsjunit.internal.libc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.LastErrorException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The C library bound function by function: what the JNA proxy it replaces did, without a proxy class. */
class LibCBindingTests {

    private final LibC libc = LibC.INSTANCE;

    @Test
    @DisplayName("no proxy class is generated for the binding")
    void noProxy() {
        assertThat(Proxy.isProxyClass(libc.getClass())).isFalse();
    }

    @Test
    @DisplayName("a failing call throws LastErrorException with its errno; a later call that succeeds does not")
    void errnoBecomesAnException() {
        assertThatThrownBy(() -> libc.close(-1)).isInstanceOfSatisfying(LastErrorException.class,
                e -> assertThat(Errno.name(e.getErrorCode())).isEqualTo("EBADF"));
        assertThatThrownBy(() -> libc.open("/no/such/file", LibC.O_RDONLY | LibC.O_CLOEXEC))
                .isInstanceOfSatisfying(LastErrorException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo(Errno.ENOENT));
        int fd = libc.open("/dev/null", LibC.O_RDONLY | LibC.O_CLOEXEC);
        assertThat(fd).isNotNegative();
        libc.close(fd);
    }

    @Test
    @DisplayName("arrays are passed in and copied back, a variadic argument reaches the function, results are "
            + "converted")
    void argumentsAndResults() {
        int[] pipe = new int[2];
        libc.pipe2(pipe, LibC.O_CLOEXEC);
        int duplicate = libc.fcntl(pipe[1], LibC.F_DUPFD_CLOEXEC, 200);
        try {
            assertThat(pipe[0]).isNotNegative();
            assertThat(duplicate).isGreaterThanOrEqualTo(200);
            byte[] sent = "through the pipe".getBytes(StandardCharsets.UTF_8);
            assertThat(libc.write(duplicate, sent, sent.length)).isEqualTo(sent.length);
            byte[] received = new byte[64];
            long count = libc.read(pipe[0], received, received.length);
            assertThat(new String(received, 0, (int) count, StandardCharsets.UTF_8)).isEqualTo("through the pipe");
            assertThat(libc.getpid()).isEqualTo(ProcessHandle.current().pid());
        } finally {
            libc.close(duplicate);
            libc.close(pipe[0]);
            libc.close(pipe[1]);
        }
    }

    @Test
    @DisplayName("every function of the interface is bound by its C name, its failures thrown where it declares so")
    void everyFunctionBoundWithItsErrnoFlag() {
        Map<String, Boolean> declared = new TreeMap<>();
        for (Method method : LibC.class.getDeclaredMethods()) {
            if (!Modifier.isStatic(method.getModifiers())) {
                declared.put(method.getName(), Arrays.asList(method.getExceptionTypes())
                        .contains(LastErrorException.class));
            }
        }

        assertThat(((LibCBinding) libc).symbols()).isEqualTo(declared);
    }
}
