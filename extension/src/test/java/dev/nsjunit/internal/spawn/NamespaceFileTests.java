package dev.nsjunit.internal.spawn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nsjunit.NamespaceType;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** An open namespace file's questions to the kernel, and how their failures read. */
class NamespaceFileTests {

    @Test
    @DisplayName("the owner of our user namespace is root")
    void ownerOfOurUserNamespace() {
        try (NamespaceFile user = NamespaceFile.open(Path.of("/proc/self/ns/user"), NamespaceType.USER)) {
            assertThat(user.ownerUid()).isZero();
        }
    }

    @Test
    @DisplayName("asking a namespace file other than a user one for its owner names the ioctl and its errno")
    void ownerOfAnotherTypeNamesTheErrno() {
        try (NamespaceFile net = NamespaceFile.open(Path.of("/proc/self/ns/net"), NamespaceType.NET)) {
            assertThatThrownBy(net::ownerUid).isInstanceOf(IllegalStateException.class)
                    .hasMessage("ioctl(/proc/self/ns/net, NS_GET_OWNER_UID) failed: EINVAL (22) — only a user "
                            + "namespace has an owner, and this is a net namespace file");
        }
    }
}
