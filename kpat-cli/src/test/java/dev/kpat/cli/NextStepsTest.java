package dev.kpat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.PersonalAccessTokenSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code kubectl pat status} has a next step for every reason the README's status table documents as a problem. */
class NextStepsTest {
    private static final Pattern REASONS_LINE = Pattern.compile("Reasons: (.*?) \\|");
    private static final Pattern QUOTED = Pattern.compile("`([A-Za-z]+)`");

    @Test
    void everyDocumentedFailureReasonHasOneHint() throws Exception {
        Matcher line = REASONS_LINE.matcher(Files.readString(Path.of("../README.md")));
        assertThat(line.find()).as("the README's conditions row lists the reasons").isTrue();
        List<String> documented = new ArrayList<>();
        Matcher reason = QUOTED.matcher(line.group(1));
        while (reason.find()) {
            documented.add(reason.group(1));
        }
        assertThat(documented).contains("Issued", "InvalidSpec", "OwnerNotFound", "RevokedOnReuse");

        PersonalAccessToken pat = new PersonalAccessToken();
        pat.setMetadata(new ObjectMetaBuilder().withName("ci").withNamespace("team-a").build());
        pat.setSpec(new PersonalAccessTokenSpec());
        pat.getSpec().setOwner("system:serviceaccount:team-a:deployer");
        for (String r : documented) {
            if (NextSteps.HEALTHY.contains(r)) {
                assertThat(NextSteps.hint(r, pat)).as(r).isEmpty();
            } else {
                assertThat(NextSteps.hint(r, pat)).as(r).isPresent();
            }
        }
        assertThat(NextSteps.reasons()).containsAll(NextSteps.EVENT_REASONS);
        // hints name the token where a command needs it
        assertThat(NextSteps.hint("OwnerDeleted", pat).orElseThrow()).contains("kubectl pat rotate ci -n team-a");
        assertThat(NextSteps.hint("OwnerNotFound", pat).orElseThrow())
                .contains("system:serviceaccount:team-a:deployer");
        assertThat(NextSteps.hint("SecretConflict", pat).orElseThrow()).contains("Secret team-a/ci");
    }
}
