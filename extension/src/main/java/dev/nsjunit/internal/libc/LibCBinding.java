package dev.nsjunit.internal.libc;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link LibC}, each method calling its C function through a JNA {@link Function}, instead of the proxy that
 * {@code Native.load} would make. Generating that proxy class, and the reflection of its first calls, cost a child
 * JVM 10-15 ms of CPU before its test (docs/performance.md); and every call in the test JVM went through
 * {@code Method.invoke}.
 *
 * <p>The semantics are the proxy's: a function whose declaration throws {@link com.sun.jna.LastErrorException} is
 * looked up with {@link Function#THROW_LAST_ERROR}, so JNA clears {@code errno} before the call and throws if it is
 * set after; arguments and results are converted by the same {@link Function#invoke(Class, Object[])}. A variadic
 * function gets its arguments flattened, as the proxy does; on x86-64 and aarch64 Linux, the only platforms the
 * clone chain supports, integer and pointer arguments are passed alike to a variadic function and to another.
 * Each function is looked up at its first call, as with the proxy: a C library without one of them (musl has no
 * {@code getcontext}) fails at that call, not when this class is loaded.
 */
final class LibCBinding implements LibC {

    private final Symbol pthreadSigmask = new Symbol("pthread_sigmask", false);
    private final Symbol getcontext = new Symbol("getcontext", true);
    private final Symbol makecontext = new Symbol("makecontext", false);
    private final Symbol errnoLocation = new Symbol("__errno_location", false);
    private final Symbol open = new Symbol("open", true);
    private final Symbol pipe2 = new Symbol("pipe2", true);
    private final Symbol fcntl = new Symbol("fcntl", true);
    private final Symbol close = new Symbol("close", true);
    private final Symbol dup2 = new Symbol("dup2", true);
    private final Symbol read = new Symbol("read", true);
    private final Symbol write = new Symbol("write", true);
    private final Symbol getuid = new Symbol("getuid", false);
    private final Symbol getpid = new Symbol("getpid", false);
    private final Symbol getpgrp = new Symbol("getpgrp", false);
    private final Symbol getgid = new Symbol("getgid", false);
    private final Symbol poll = new Symbol("poll", true);
    private final Symbol socketpair = new Symbol("socketpair", true);
    private final Symbol socket = new Symbol("socket", true);
    private final Symbol kill = new Symbol("kill", true);
    private final Symbol waitid = new Symbol("waitid", true);
    private final Symbol waitpid = new Symbol("waitpid", true);
    private final Symbol mount = new Symbol("mount", true);
    private final Symbol umount2 = new Symbol("umount2", true);
    private final Symbol sethostname = new Symbol("sethostname", true);
    private final Symbol ioctl = new Symbol("ioctl", true);
    private final Symbol unshare = new Symbol("unshare", true);
    private final Symbol setns = new Symbol("setns", true);
    private final Symbol syscall = new Symbol("syscall", true);

    @Override
    public int pthread_sigmask(int how, Pointer set, Pointer oldset) {
        return pthreadSigmask.function().invokeInt(new Object[] {how, set, oldset});
    }

    @Override
    public int getcontext(Pointer ucp) {
        return getcontext.function().invokeInt(new Object[] {ucp});
    }

    @Override
    public void makecontext(Pointer ucp, Pointer func, int argc, Object... args) {
        makecontext.function().invokeVoid(withFixed(args, ucp, func, argc));
    }

    @Override
    public Pointer __errno_location() {
        return errnoLocation.function().invokePointer(new Object[0]);
    }

    @Override
    public int open(String pathname, int flags) {
        return open.function().invokeInt(new Object[] {pathname, flags});
    }

    @Override
    public int pipe2(int[] pipefd, int flags) {
        return pipe2.function().invokeInt(new Object[] {pipefd, flags});
    }

    @Override
    public int fcntl(int fd, int cmd, Object... arg) {
        return fcntl.function().invokeInt(withFixed(arg, fd, cmd));
    }

    @Override
    public int close(int fd) {
        return close.function().invokeInt(new Object[] {fd});
    }

    @Override
    public int dup2(int oldfd, int newfd) {
        return dup2.function().invokeInt(new Object[] {oldfd, newfd});
    }

    @Override
    public long read(int fd, byte[] buf, long count) {
        return read.function().invokeLong(new Object[] {fd, buf, count});
    }

    @Override
    public long write(int fd, byte[] buf, long count) {
        return write.function().invokeLong(new Object[] {fd, buf, count});
    }

    @Override
    public int getuid() {
        return getuid.function().invokeInt(new Object[0]);
    }

    @Override
    public int getpid() {
        return getpid.function().invokeInt(new Object[0]);
    }

    @Override
    public int getpgrp() {
        return getpgrp.function().invokeInt(new Object[0]);
    }

    @Override
    public int getgid() {
        return getgid.function().invokeInt(new Object[0]);
    }

    @Override
    public int poll(Pointer fds, long nfds, int timeout) {
        return poll.function().invokeInt(new Object[] {fds, nfds, timeout});
    }

    @Override
    public int socketpair(int domain, int type, int protocol, int[] sv) {
        return socketpair.function().invokeInt(new Object[] {domain, type, protocol, sv});
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return socket.function().invokeInt(new Object[] {domain, type, protocol});
    }

    @Override
    public int kill(int pid, int sig) {
        return kill.function().invokeInt(new Object[] {pid, sig});
    }

    @Override
    public int waitid(int idtype, int id, Pointer infop, int options) {
        return waitid.function().invokeInt(new Object[] {idtype, id, infop, options});
    }

    @Override
    public int waitpid(int pid, int[] wstatus, int options) {
        return waitpid.function().invokeInt(new Object[] {pid, wstatus, options});
    }

    @Override
    public int mount(String source, String target, String filesystemtype, long mountflags, Pointer data) {
        return mount.function().invokeInt(new Object[] {source, target, filesystemtype, mountflags, data});
    }

    @Override
    public int umount2(String target, int flags) {
        return umount2.function().invokeInt(new Object[] {target, flags});
    }

    @Override
    public int sethostname(byte[] name, long len) {
        return sethostname.function().invokeInt(new Object[] {name, len});
    }

    @Override
    public int ioctl(int fd, long request, Object... argp) {
        return ioctl.function().invokeInt(withFixed(argp, fd, request));
    }

    @Override
    public int unshare(int flags) {
        return unshare.function().invokeInt(new Object[] {flags});
    }

    @Override
    public int setns(int fd, int nstype) {
        return setns.function().invokeInt(new Object[] {fd, nstype});
    }

    @Override
    public long syscall(long number, long first, long second) {
        return syscall.function().invokeLong(new Object[] {number, first, second});
    }

    @Override
    public long syscall(long number, long first, long second, long third) {
        return syscall.function().invokeLong(new Object[] {number, first, second, third});
    }

    /** Each C function bound here, and whether its failures are thrown: what the tests compare with {@link LibC}. */
    Map<String, Boolean> symbols() {
        Map<String, Boolean> symbols = new TreeMap<>();
        for (Field field : LibCBinding.class.getDeclaredFields()) {
            if (field.getType() == Symbol.class) {
                try {
                    Symbol symbol = (Symbol) field.get(this);
                    symbols.put(symbol.name, symbol.setsErrno);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return symbols;
    }

    /** The fixed arguments of a variadic call, then the variadic ones. */
    private static Object[] withFixed(Object[] variadic, Object... fixed) {
        Object[] all = new Object[fixed.length + variadic.length];
        System.arraycopy(fixed, 0, all, 0, fixed.length);
        System.arraycopy(variadic, 0, all, fixed.length, variadic.length);
        return all;
    }

    /** A C function, looked up at its first call. */
    private static final class Symbol {
        private final String name;
        private final boolean setsErrno;
        private volatile Function function;

        Symbol(String name, boolean setsErrno) {
            this.name = name;
            this.setsErrno = setsErrno;
        }

        Function function() {
            Function known = function;
            if (known == null) {
                // Looked up twice at worst, by two threads at once: NativeLibrary returns the same Function.
                known = NativeLibrary.getInstance("c").getFunction(name, setsErrno ? Function.THROW_LAST_ERROR : 0);
                function = known;
            }
            return known;
        }
    }
}
