package dev.nsjunit.internal.libc;

import com.sun.jna.Function;
import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The one JNA binding to the C library. Functions and constants keep the man pages' spelling so that a grep from
 * a man page lands here. Every function that reports failure as {@code -1} with {@code errno} throws
 * {@link LastErrorException}; {@link Errno} turns its number into a name.
 */
public interface LibC extends Library {

    /** Bound function by function, without a proxy class ({@link LibCBinding}). */
    LibC INSTANCE = new LibCBinding();

    /** The library itself, for functions whose address is needed rather than a call: the clone chain's steps. */
    static Function function(String name) {
        return NativeLibrary.getInstance("c").getFunction(name);
    }

    // <sched.h>, clone(2): CLONE_NEW* flags live in dev.nsjunit.NamespaceType.
    int SIGHUP = 1;
    int SIGINT = 2;
    int SIGQUIT = 3;
    int SIGILL = 4;
    int SIGBUS = 7;
    int SIGFPE = 8;
    int SIGKILL = 9;
    int SIGSEGV = 11;
    int SIGUSR2 = 12;
    int SIGPIPE = 13;
    int SIGTERM = 15;
    int SIGCHLD = 17;
    int SIGXFSZ = 25;

    // <sched.h>: share the address space, and suspend the caller until the child calls execve or _exit
    int CLONE_VM = 0x100;
    int CLONE_VFORK = 0x4000;

    // <signal.h>
    int SIG_SETMASK = 2;
    /** {@code sizeof(sigset_t)} in glibc. */
    int SIGSET_SIZE = 128;

    int pthread_sigmask(int how, Pointer set, Pointer oldset);

    // clone(2), int clone(int (*fn)(void *), void *stack, int flags, void *arg), is called through
    // function("clone"): see Spawner for why it has no binding here.

    // <ucontext.h>
    /** {@code int getcontext(ucontext_t *ucp)}: fills {@code ucp} with the calling thread's context. */
    int getcontext(Pointer ucp) throws LastErrorException;

    /**
     * {@code void makecontext(ucontext_t *ucp, void (*func)(), int argc, ...)}: makes {@code ucp} call
     * {@code func} with {@code argc} arguments, then switch to {@code ucp->uc_link}. glibc reads each variadic
     * argument as a 64-bit value on x86-64 and aarch64, so pass {@link Long}s.
     *
     * @see <a href="https://man7.org/linux/man-pages/man3/makecontext.3.html">makecontext(3)</a>
     */
    void makecontext(Pointer ucp, Pointer func, int argc, Object... args);

    /** {@code int *__errno_location(void)}: the calling thread's errno variable. */
    Pointer __errno_location();

    // <unistd.h>, <fcntl.h>
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_CLOEXEC = 0x80000;
    int F_DUPFD_CLOEXEC = 1030;
    int F_SETFD = 2;
    int FD_CLOEXEC = 1;

    int open(String pathname, int flags) throws LastErrorException;

    /** {@code int pipe2(int pipefd[2], int flags)}: {@code pipefd[0]} is the read end. */
    int pipe2(int[] pipefd, int flags) throws LastErrorException;

    int fcntl(int fd, int cmd, Object... arg) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int dup2(int oldfd, int newfd) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    int getuid();

    int getpid();

    int getpgrp();

    int getgid();

    // <poll.h>
    short POLLIN = 0x001;

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}; {@code struct pollfd} is 8 bytes. */
    int poll(Pointer fds, long nfds, int timeout) throws LastErrorException;

    // <sys/socket.h>
    int AF_UNIX = 1;
    int AF_INET = 2;
    int SOCK_STREAM = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;

    int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    // <signal.h>, <sys/wait.h>
    int P_PID = 1;
    int WEXITED = 4;
    int WNOWAIT = 0x01000000;
    int WNOHANG = 1;

    int kill(int pid, int sig) throws LastErrorException;

    /** {@code int waitid(idtype_t, id_t, siginfo_t *, int)}; {@code siginfo_t} is 128 bytes. */
    int waitid(int idtype, int id, Pointer infop, int options) throws LastErrorException;

    /** {@code pid_t waitpid(pid_t pid, int *wstatus, int options)}. */
    int waitpid(int pid, int[] wstatus, int options) throws LastErrorException;

    // <sys/mount.h>, mount(2)
    long MS_NOSUID = 2;
    long MS_NODEV = 4;
    long MS_NOEXEC = 8;
    long MS_REC = 16384;
    long MS_PRIVATE = 1 << 18;
    long MS_BIND = 4096;
    int MNT_DETACH = 2;
    int UMOUNT_NOFOLLOW = 8;

    int mount(String source, String target, String filesystemtype, long mountflags, Pointer data)
            throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    // <unistd.h>, sethostname(2)
    int sethostname(byte[] name, long len) throws LastErrorException;

    // <sys/ioctl.h>, <net/if.h>, netdevice(7)
    long SIOCGIFFLAGS = 0x8913;
    long SIOCSIFFLAGS = 0x8914;
    short IFF_UP = 0x1;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux: a 16-byte name and a 24-byte union. */
    int IFREQ_SIZE = 40;
    int IFNAMSIZ = 16;

    int ioctl(int fd, long request, Object... argp) throws LastErrorException;

    // <sched.h>, unshare(2)
    int unshare(int flags) throws LastErrorException;

    // <sched.h>, setns(2)
    int setns(int fd, int nstype) throws LastErrorException;

    // <linux/nsfs.h>, ioctl_ns(2): _IO(0xb7, 3) and _IO(0xb7, 4)
    long NS_GET_NSTYPE = 0xb703;
    long NS_GET_OWNER_UID = 0xb704;

    // <sys/prctl.h>
    int PR_SET_PDEATHSIG = 1;


    /** {@code SYS_close_range}: 436 on both x86-64 and aarch64 (the syscall tables agree from 5.x on). */
    long SYS_close_range = 436;

    /** {@code SYS_pidfd_open} (Linux 5.3): 434 on both x86-64 and aarch64. */
    long SYS_pidfd_open = 434;

    /** {@code long syscall(long number, ...)} with two arguments, for calls glibc 2.31 has no wrapper for. */
    long syscall(long number, long first, long second) throws LastErrorException;

    /** {@code long syscall(long number, ...)} with three arguments. */
    long syscall(long number, long first, long second, long third) throws LastErrorException;
}
