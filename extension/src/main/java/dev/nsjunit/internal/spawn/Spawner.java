package dev.nsjunit.internal.spawn;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import dev.nsjunit.NamespaceType;
import dev.nsjunit.Namespaces;
import dev.nsjunit.internal.libc.Errno;
import dev.nsjunit.internal.libc.Fd;
import dev.nsjunit.internal.libc.FdInputStream;
import dev.nsjunit.internal.libc.LibC;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The only code that creates processes: {@code clone(2)} with the requested {@code CLONE_NEW*} flags, whose child
 * runs a {@link CloneChain} of libc calls up to {@code execve} of a new JVM.
 *
 * <p>The child's file descriptors, arranged by the chain:
 * <pre>
 *   0  /dev/null          1  stdout pipe        2  stderr pipe        3  channel (socketpair)
 *   4  exec-error pipe, O_CLOEXEC: an errno per setns (0 for success), then EOF in the parent once execve
 *      succeeded, else execve's errno
 *   5  sync pipe, O_CLOEXEC, user namespace only: EOF once the parent wrote the uid and gid maps
 * </pre>
 * Every other inherited descriptor is closed before the child waits or executes anything.
 */
public final class Spawner {

    /** The channel's descriptor number in the child. */
    public static final int CHILD_CHANNEL_FD = 3;

    /** Where the chain writes the errnos of its checked steps and of a failed execve (O_CLOEXEC). */
    static final int EXEC_ERROR_FD = 4;
    private static final int SYNC_FD = 5;
    /** Our descriptors are moved to this number or above before the chain runs, so no dup3 overwrites another. */
    private static final int FIRST_SOURCE_FD = 6;
    private static final long CLONE_STACK_SIZE = 64 * 1024;
    /** Makes every child a copy, as with a user namespace: for ci/bench, to compare the two ways. */
    public static final String COPY_MEMORY_PROPERTY = "nsjunit.internal.spawn.copyMemory";
    /**
     * Signals the JVM raises on purpose in the thread that runs Java code (implicit null checks and safepoint polls
     * fault; SIGUSR2 suspends a thread for a profiler), bit n-1 for signal n. They must stay deliverable around the
     * clone, where this thread still runs Java code; none of them is sent to the child, which is not that thread.
     */
    private static final long JVM_THREAD_SIGNALS = 1L << (LibC.SIGILL - 1) | 1L << (5 - 1) | 1L << (LibC.SIGBUS - 1)
            | 1L << (LibC.SIGFPE - 1) | 1L << (LibC.SIGSEGV - 1) | 1L << (LibC.SIGUSR2 - 1);

    private Spawner() {
    }

    /**
     * Starts {@code argv} (an absolute program path first) in new namespaces of {@code types}, with
     * {@code environment}, in this process's working directory.
     *
     * @return the running child, which has passed {@code execve}
     * @throws SpawnException if a namespace could not be created or the program not executed
     */
    public static ChildProcess spawn(Set<NamespaceType> types, List<String> argv, Map<String, String> environment)
            throws SpawnException {
        return spawn(types, Map.of(), argv, environment);
    }

    /**
     * Starts {@code argv} in new namespaces of {@code types} and in the existing namespaces of {@code joins}
     * (one type may not be in both). A user namespace must not be both new and joined with others: namespaces
     * are owned by the user namespace their creator was in, and a new one would leave the child without
     * capabilities over the joined ones.
     */
    public static ChildProcess spawn(Set<NamespaceType> types, Map<NamespaceType, NamespaceFile> joins,
            List<String> argv, Map<String, String> environment) throws SpawnException {
        for (NamespaceType joined : joins.keySet()) {
            if (types.contains(joined)) {
                throw new IllegalArgumentException(joined + " is both new and joined");
            }
        }
        if (types.contains(NamespaceType.USER) && !joins.isEmpty()) {
            throw new IllegalArgumentException("a new user namespace cannot be combined with joined namespaces "
                    + joins.keySet());
        }
        if (types.contains(NamespaceType.TIME) && !types.contains(NamespaceType.USER)
                && !HostFacts.hasEffectiveCapability(HostFacts.CAP_SYS_ADMIN)) {
            // The chain's unshare would fail unseen and leave the child in the parent's time namespace.
            throw new SpawnException(SpawnFailureAdvice.forTimeWithoutPrivilege(HostFacts.read(
                    LibC.INSTANCE.getuid())), Errno.EPERM);
        }
        List<Fd> childEnds = new ArrayList<>();
        List<Fd> parentEnds = new ArrayList<>();
        try {
            Fd devNull = track(childEnds, open("/dev/null"));
            Fd[] stdout = pipe(childEnds, parentEnds, true);
            Fd[] stderr = pipe(childEnds, parentEnds, true);
            Fd[] channel = socketPair(childEnds, parentEnds);
            Fd[] execError = pipe(childEnds, parentEnds, true);
            boolean user = types.contains(NamespaceType.USER);
            Fd[] sync = user ? pipe(childEnds, parentEnds, false) : null;

            CloneChain chain = new CloneChain();
            Pointer errnoAddress = LibC.INSTANCE.__errno_location();
            List<IntFunction<String>> checkedSteps = buildChain(chain, types, joinedInChain(joins), argv,
                    environment, devNull, stdout[1], stderr[1], channel[1], execError[1],
                    sync == null ? null : sync[0], errnoAddress);
            Pointer firstContext = chain.build();
            int pid = joins.containsKey(NamespaceType.PID)
                    ? PidNamespaceEntry.cloneInto(joins.get(NamespaceType.PID), () -> cloneChild(types, joins,
                            chain, firstContext))
                    : cloneChild(types, joins, chain, firstContext);
            childEnds.forEach(Fd::close); // Only the child holds them now: EOF reaches the parent when it exits.

            ChildProcess child = new ChildProcess(pid, channel[0], stdout[0], stderr[0]);
            try {
                if (sync != null) {
                    IdMaps.write(pid, LibC.INSTANCE.getuid(), LibC.INSTANCE.getgid());
                    sync[1].close(); // EOF releases the child's read(2).
                }
                awaitExec(execError[0], argv.get(0), checkedSteps);
            } catch (SpawnException | RuntimeException e) {
                child.close();
                throw e;
            } finally {
                execError[0].close();
                if (sync != null) {
                    sync[1].close();
                }
                chain.release();
            }
            return child;
        } catch (SpawnException | RuntimeException e) {
            childEnds.forEach(Fd::close);
            parentEnds.forEach(Fd::close);
            throw e;
        }
    }

    /**
     * Builds the chain; returns, for each of its checked steps in order, the message for its failure with an errno.
     */
    private static List<IntFunction<String>> buildChain(CloneChain chain, Set<NamespaceType> types,
            List<NamespaceFile> joins, List<String> argv, Map<String, String> environment, Fd stdin, Fd stdout,
            Fd stderr, Fd channel, Fd execError, Fd syncRead, Pointer errnoAddress) {
        // The child inherited the JVM's signal handlers, which are JVM code: a termination signal or a fault before
        // execve must kill it, not run them. (execve resets handled signals to their defaults anyway.) Until they
        // are reset every signal stays blocked (the child starts with the spawning thread's mask, which blocks
        // every asynchronous one, see cloneChild): a handler run in a child sharing the JVM's memory would corrupt it.
        resetSignalHandlers(chain);
        // From here on, the death of the spawning thread ends the child. SIGTERM rather than SIGKILL: the
        // setting lives on the JVM's primordial thread, out of Java's reach, and a SIGKILL would end the child
        // JVM before it could end the processes its test started; SIGTERM runs its shutdown hooks, and
        // ParentWatch's hook does that.
        chain.call("prctl", LibC.PR_SET_PDEATHSIG, LibC.SIGTERM);
        // After the unblocking, and no signal hits the wrong group for that: a signal sent to a group reaches the
        // processes in it when it is sent, and a blocked one stays pending through setsid, so in either order the
        // child gets what was sent to the JVM's group until here and nothing sent later. The parent's kill(-pid)
        // cannot miss it either: it comes after execve (spawn returns then), or, when a spawn fails, with kill(pid),
        // which ends the child and so all there is of its group.
        chain.call("setsid");
        chain.call("dup3", stdin.number(), 0, 0);
        chain.call("dup3", stdout.number(), 1, 0);
        chain.call("dup3", stderr.number(), 2, 0);
        chain.call("dup3", channel.number(), CHILD_CHANNEL_FD, 0);
        chain.call("dup3", execError.number(), EXEC_ERROR_FD, LibC.O_CLOEXEC);
        int firstToClose = EXEC_ERROR_FD + 1;
        if (syncRead != null) {
            chain.call("dup3", syncRead.number(), SYNC_FD, LibC.O_CLOEXEC);
            firstToClose = SYNC_FD + 1;
        }
        CheckedSteps checked = new CheckedSteps(chain, argv.get(0), errnoAddress);
        joinNamespaces(checked, joins);
        if (joins.stream().anyMatch(file -> file.type() == NamespaceType.MNT)) {
            // Joining a mount namespace moves the caller's root and working directory to that namespace's root.
            String directory = System.getProperty("user.dir");
            Memory cwd = chain.retain(cString(directory, 0));
            checked.call(errno -> SpawnFailureAdvice.forChdirAfterJoin(directory, errno), "chdir",
                    Pointer.nativeValue(cwd));
        }
        // Closes every other descriptor the JVM had, the sync pipe's write end among them: a child that held it
        // while waiting would never see EOF if the parent died before writing the maps.
        InheritedDescriptors.close(chain, checked, firstToClose);
        if (syncRead != null) {
            Memory oneByte = chain.retain(new Memory(8));
            chain.call("read", SYNC_FD, Pointer.nativeValue(oneByte), 1);
        }
        if (types.contains(NamespaceType.TIME)) {
            // CLONE_NEWTIME (0x80) overlaps clone's exit-signal byte, so it cannot be a clone flag. unshare makes
            // a namespace for children only, and execve (Linux 6.2+) moves this process into it.
            checked.call(SpawnFailureAdvice::forTimeUnshare, "unshare", NamespaceType.TIME.cloneFlag());
        }
        StringArray argvArray = chain.retain(new StringArray(argv.toArray(new String[0]), "UTF-8"));
        StringArray envArray = chain.retain(new StringArray(environment.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new), "UTF-8"));
        chain.call("execve", Pointer.nativeValue(checked.program()), Pointer.nativeValue(argvArray),
                Pointer.nativeValue(envArray));
        // Only reached if execve failed. The child runs on the spawning thread's TLS (its own copy of it, or with
        // CLONE_VM the very same memory, while that thread waits), so its errno sits at the parent's address.
        chain.call("write", EXEC_ERROR_FD, Pointer.nativeValue(errnoAddress), 4);
        chain.call("_exit", 127);
        return checked.failures();
    }

    /** The first steps of every chain: the JVM's signal handlers reset, with every signal blocked meanwhile. */
    static void resetSignalHandlers(CloneChain chain) {
        chain.blockSignals(true);
        // Every signal HotSpot installs a handler for, SIGPIPE and SIGXFSZ included.
        for (int signal : new int[] {LibC.SIGTERM, LibC.SIGHUP, LibC.SIGINT, LibC.SIGQUIT, LibC.SIGSEGV,
                LibC.SIGBUS, LibC.SIGFPE, LibC.SIGILL, LibC.SIGUSR2, LibC.SIGPIPE, LibC.SIGXFSZ}) {
            chain.call("signal", signal, 0); // SIG_DFL
        }
        chain.blockSignals(false);
    }

    /**
     * The namespaces the chain joins, in its order: the user namespace first, as it grants the capabilities that
     * joining the namespaces it owns needs. Not a pid namespace: setns moves only the caller's future children into
     * one, and execve does not, so the spawning thread joins it instead ({@link PidNamespaceEntry}). Nor the user
     * namespace this JVM is in: the kernel refuses to re-enter that one (EINVAL), and the child is in it anyway.
     */
    static List<NamespaceFile> joinedInChain(Map<NamespaceType, NamespaceFile> joins) {
        List<NamespaceFile> order = new ArrayList<>();
        NamespaceFile user = joins.get(NamespaceType.USER);
        if (user != null && user.inode() != Namespaces.current().inode(NamespaceType.USER)) {
            order.add(user);
        }
        joins.forEach((type, file) -> {
            if (type != NamespaceType.USER && type != NamespaceType.PID) {
                order.add(file);
            }
        });
        return order;
    }

    /**
     * setns(2) in the child, a process of its own as joining a user or mount namespace requires (a time namespace
     * requires a copy of the JVM's memory besides, see {@link #cloneChild}), with the descriptors the child
     * inherited from the parent (still open: the chain closes them after this).
     */
    private static void joinNamespaces(CheckedSteps checked, List<NamespaceFile> joins) {
        for (NamespaceFile file : joins) {
            checked.call(errno -> SpawnFailureAdvice.forJoin(file.path(), file.type(), errno), "setns",
                    file.fd().number(), file.type().cloneFlag());
        }
    }

    /**
     * Without a new user namespace, the child shares the JVM's memory until its execve ({@code CLONE_VM|CLONE_VFORK},
     * as posix_spawn does): copying the page tables of a large JVM for a process that keeps none of them costs
     * about 5 ms with a small heap and 50 ms with a gigabyte in use; shared, it costs the same small amount always.
     * The spawning thread waits in clone meanwhile, which is why a new user namespace, whose child waits for this
     * thread to write its uid and gid maps before its execve, gets a copy instead. So does a child that joins a time
     * namespace: the kernel lets only a single-threaded process do that (EUSERS otherwise), and a process sharing
     * its memory with the JVM counts as one of the JVM's threads.
     */
    private static int cloneChild(Set<NamespaceType> types, Map<NamespaceType, NamespaceFile> joins,
            CloneChain chain, Pointer firstContext) throws SpawnException {
        boolean shareMemory = !types.contains(NamespaceType.USER) && !joins.containsKey(NamespaceType.TIME)
                && !Boolean.getBoolean(COPY_MEMORY_PROPERTY);
        int flags = LibC.SIGCHLD | (shareMemory ? LibC.CLONE_VM | LibC.CLONE_VFORK : 0);
        for (NamespaceType type : types) {
            if (type != NamespaceType.TIME) {
                flags |= type.cloneFlag();
            }
        }
        return clone(flags, types, chain, firstContext);
    }

    /**
     * clone(2) with {@code flags}, the child starting at the chain's first context; {@code types} only name the new
     * namespaces in a failure's message.
     */
    static int clone(int flags, Set<NamespaceType> types, CloneChain chain, Pointer firstContext)
            throws SpawnException {
        Memory stack = chain.retain(new Memory(CLONE_STACK_SIZE));
        try (Memory asynchronous = new Memory(LibC.SIGSET_SIZE); Memory previous = new Memory(LibC.SIGSET_SIZE)) {
            asynchronous.setMemory(0, LibC.SIGSET_SIZE, (byte) 0xFF);
            asynchronous.setLong(0, ~JVM_THREAD_SIGNALS);
            // The child begins with this thread's signal mask, until the chain's first context installs its own.
            LibC.INSTANCE.pthread_sigmask(LibC.SIG_SETMASK, asynchronous, previous);
            try {
                // The stack grows down: clone takes its top. setcontext then moves to the first context's own stack.
                // Called without JNA's errno check, which fails a call whenever errno changed: a child sharing
                // this thread's memory sets errno here with every failed call, though clone itself succeeded.
                int pid = LibC.function("clone").invokeInt(new Object[] {LibC.function("setcontext"),
                        stack.share(CLONE_STACK_SIZE), flags, firstContext});
                if (pid == -1) {
                    int errno = Native.getLastError();
                    chain.release();
                    throw new SpawnException(SpawnFailureAdvice.forClone(errno, types,
                            HostFacts.read(LibC.INSTANCE.getuid())), errno);
                }
                return pid;
            } finally {
                LibC.INSTANCE.pthread_sigmask(LibC.SIG_SETMASK, previous, null);
            }
        }
    }

    /**
     * Reads the exec-error pipe to its end, which comes once execve succeeded (the pipe is O_CLOEXEC) or the child
     * died: first one errno per checked step of the chain, 0 for a success, then execve's errno if it failed.
     */
    private static void awaitExec(Fd execError, String program, List<IntFunction<String>> checkedSteps)
            throws SpawnException {
        int[] errnos = readErrnos(execError, checkedSteps.size() + 1);
        for (int i = 0; i < errnos.length && i < checkedSteps.size(); i++) {
            if (errnos[i] != 0) {
                // execve failed too, as the failed step made it: only the step is news.
                throw new SpawnException(checkedSteps.get(i).apply(errnos[i]), errnos[i]);
            }
        }
        if (errnos.length > checkedSteps.size()) {
            int code = errnos[checkedSteps.size()];
            throw new SpawnException(SpawnFailureAdvice.forExec(program, code), code);
        }
    }

    /** Up to {@code most} 4-byte errnos, as many as arrived before EOF. */
    private static int[] readErrnos(Fd fd, int most) {
        byte[] bytes = new byte[4 * most];
        int read = 0;
        FdInputStream in = fd.inputStream();
        try {
            int n;
            while (read < bytes.length && (n = in.read(bytes, read, bytes.length - read)) > 0) {
                read += n;
            }
        } catch (IOException e) {
            throw new IllegalStateException("waiting for the child's execve failed: " + e.getMessage(), e);
        }
        int[] errnos = new int[read / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).asIntBuffer().get(errnos);
        return errnos;
    }

    /** {@code s} NUL-terminated, with room for {@code spare} more bytes (zeros). */
    static Memory cString(String s, int spare) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Memory memory = new Memory(bytes.length + 1L + spare);
        memory.clear();
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    private static Fd track(List<Fd> list, Fd fd) {
        list.add(fd);
        return fd;
    }

    private static Fd open(String path) {
        try {
            return new Fd(aboveTargets(LibC.INSTANCE.open(path, LibC.O_RDONLY | LibC.O_CLOEXEC)));
        } catch (LastErrorException e) {
            throw descriptorFailure("open(" + path + ")", e);
        }
    }

    /** A pipe, {@code [read end, write end]}; the child gets the write end if {@code childWrites}. */
    private static Fd[] pipe(List<Fd> childEnds, List<Fd> parentEnds, boolean childWrites) {
        int[] fds = new int[2];
        try {
            LibC.INSTANCE.pipe2(fds, LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw descriptorFailure("pipe2(O_CLOEXEC)", e);
        }
        Fd[] pipe = aboveTargets(fds);
        (childWrites ? parentEnds : childEnds).add(pipe[0]);
        (childWrites ? childEnds : parentEnds).add(pipe[1]);
        return pipe;
    }

    private static Fd[] socketPair(List<Fd> childEnds, List<Fd> parentEnds) {
        int[] fds = new int[2];
        try {
            LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds);
        } catch (LastErrorException e) {
            throw descriptorFailure("socketpair(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC)", e);
        }
        Fd[] pair = aboveTargets(fds);
        parentEnds.add(pair[0]);
        childEnds.add(pair[1]);
        return pair;
    }

    /** Both descriptors of a new pair moved {@link #aboveTargets(int)}; if either cannot be, both are closed. */
    private static Fd[] aboveTargets(int[] fds) {
        Fd first;
        try {
            first = new Fd(aboveTargets(fds[0]));
        } catch (RuntimeException e) {
            new Fd(fds[1]).close();
            throw e;
        }
        try {
            return new Fd[] {first, new Fd(aboveTargets(fds[1]))};
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    /**
     * Moves {@code fd} to {@link #FIRST_SOURCE_FD} or above, and takes it over: the number passed in is closed, also
     * when the move fails. Every descriptor here is O_CLOEXEC, because another thread of this JVM may fork at any
     * time and must not carry our pipe ends into its program.
     */
    static int aboveTargets(int fd) {
        if (fd >= FIRST_SOURCE_FD) {
            return fd;
        }
        try {
            return LibC.INSTANCE.fcntl(fd, LibC.F_DUPFD_CLOEXEC, FIRST_SOURCE_FD);
        } catch (LastErrorException e) {
            throw descriptorFailure("fcntl(" + fd + ", F_DUPFD_CLOEXEC, " + FIRST_SOURCE_FD + ")", e);
        } finally {
            new Fd(fd).close(); // Ignores close's own errors, which would leak the copy if they were thrown.
        }
    }

    private static IllegalStateException descriptorFailure(String call, LastErrorException e) {
        int errno = e.getErrorCode();
        String cause = errno == Errno.EMFILE ? "this JVM has as many descriptors open as its limit allows (ulimit -n)"
                + "; raise the limit, or look for descriptors left open"
                : errno == Errno.ENFILE ? "the system's limit on open files (fs.file-max) was reached"
                : "the spawner could not make the child's descriptors";
        return new IllegalStateException(call + " failed: " + Errno.describe(errno) + " — " + cause, e);
    }
}
