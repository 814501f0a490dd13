package dev.nsjunit.internal.spawn;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.nsjunit.internal.libc.LibC;
import java.util.ArrayList;
import java.util.List;

/**
 * A chain of {@code ucontext_t}s, laid out in the parent, each calling one libc function and then switching to
 * the next through {@code uc_link}. A child made by {@code clone(setcontext, ..., first())} runs the chain and
 * nothing else: no Java code runs in a forked copy of a multi-threaded JVM, where the threads that hold its locks
 * and would reach its safepoints no longer exist.
 *
 * <p>Every buffer of the chain must stay allocated until {@code clone} has returned: without {@code CLONE_VM} the
 * child runs on its own copy of the parent's memory, made by {@code clone}, so after that the parent may free
 * them. (With {@code CLONE_VM|CLONE_VFORK} the child uses the parent's very buffers, but {@code clone} returns only
 * once the child has called {@code execve} or {@code _exit}, so the same rule holds.)
 */
final class CloneChain {

    private static final int CONTEXT_SIZE = 4096;
    private static final int STACK_SIZE = 64 * 1024;
    private static final long UC_LINK = 8;
    private static final long UC_STACK_SP = 16;
    private static final long UC_STACK_SIZE = 32;
    private static final int SIGSET_SIZE = 128;

    private final List<Step> steps = new ArrayList<>();
    private final List<Memory> keepAlive = new ArrayList<>();

    private record Step(String function, long[] args, boolean signalsBlocked) {
    }

    private boolean blockSignals;

    /**
     * Makes the steps appended from now on run with every signal blocked ({@code true}) or none. setcontext
     * installs each context's signal mask as it switches to it.
     */
    CloneChain blockSignals(boolean blocked) {
        this.blockSignals = blocked;
        return this;
    }

    /** Appends a call of libc's {@code function} with up to six integer or address arguments. */
    CloneChain call(String function, long... args) {
        if (args.length > 6) {
            throw new IllegalArgumentException(function + ": makecontext passes at most 6 register arguments");
        }
        steps.add(new Step(function, args, blockSignals));
        return this;
    }

    /** Keeps {@code buffer} (a string, an argv array) alive as long as the chain. */
    <T extends Pointer> T retain(T buffer) {
        if (buffer instanceof Memory memory) {
            keepAlive.add(memory);
        }
        return buffer;
    }

    /** Lays out the contexts; returns the first, to be passed as {@code clone}'s argument. */
    Pointer build() {
        Memory next = null;
        for (int i = steps.size() - 1; i >= 0; i--) {
            next = context(steps.get(i), next);
        }
        return next;
    }

    private Memory context(Step step, Memory link) {
        Memory context = new Memory(contextSize());
        context.clear();
        LibC.INSTANCE.getcontext(context);
        Memory stack = new Memory(STACK_SIZE);
        context.setPointer(UC_LINK, link);
        context.setPointer(UC_STACK_SP, stack);
        context.setLong(UC_STACK_SIZE, STACK_SIZE);
        // getcontext copied the calling Java thread's blocked signals; replaced here, or the child would carry them
        // across execve into the new JVM.
        context.setMemory(sigmaskOffset(), SIGSET_SIZE, step.signalsBlocked ? (byte) 0xFF : (byte) 0);
        Object[] args = new Object[step.args.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = step.args[i];
        }
        LibC.INSTANCE.makecontext(context, LibC.function(step.function), args.length, args);
        keepAlive.add(context);
        keepAlive.add(stack);
        return context;
    }

    /**
     * Where {@code uc_sigmask} sits: after {@code uc_mcontext} on x86-64 (offset 296), right after
     * {@code uc_stack} on aarch64 (offset 40). The other fields used here are at the same offsets on both.
     */
    private static long sigmaskOffset() {
        return Architecture.current() == Architecture.X86_64 ? 296 : 40;
    }

    /** Generous: glibc's {@code ucontext_t} is 968 bytes on x86-64 and about 4.5 KiB on aarch64. */
    private static long contextSize() {
        return Architecture.current() == Architecture.X86_64 ? CONTEXT_SIZE : 2 * CONTEXT_SIZE;
    }

    /** Frees the buffers; the child, which has its own copy of them once {@code clone} returned, is unaffected. */
    void release() {
        keepAlive.forEach(Memory::close);
        keepAlive.clear();
    }
}
