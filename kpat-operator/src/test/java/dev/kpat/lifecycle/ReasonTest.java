package dev.kpat.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.RevocationReason;
import org.junit.jupiter.api.Test;

/** One vocabulary: every reason of an issue and every revocation reason of the API is a {@link Reason}. */
class ReasonTest {
    @Test
    void issueAndRevocationReasonsAreReasons() {
        for (IssueReason issue : IssueReason.values()) {
            assertThat(Reason.of(issue).name()).isEqualTo(issue.name());
        }
        for (String revocation : RevocationReason.ALL) {
            assertThat(Reason.parse(revocation)).as(revocation).isNotNull();
            assertThat(Reason.parse(revocation).isRevocation()).isTrue();
        }
        // what a new value revokes the previous one for is a revocation reason
        for (IssueReason issue : IssueReason.values()) {
            if (!issue.graceForPrevious() && issue != IssueReason.Issued) {
                assertThat(Reason.of(issue).isRevocation()).as(issue.name()).isTrue();
            }
        }
        assertThat(Reason.parse("NoSuchReason")).isNull();
    }
}
