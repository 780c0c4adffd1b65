package dev.kpat.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The memory of recent Events is bounded, and forgets the least recently recorded first. */
class RepeatedEventsTest {
    private static RepeatedEvents.Key key(int i) {
        return new RepeatedEvents.Key("ns", "uid-" + i, "Warning", "InvalidSpec", "message");
    }

    @Test
    void keepsAtMostItsCapacityForgettingTheLeastRecentlyRecorded() {
        RepeatedEvents recent = new RepeatedEvents(3);
        for (int i = 0; i < 3; i++) {
            recent.put(key(i), new RepeatedEvents.Seen("e" + i, 1, "t"));
        }
        recent.get(key(0)); // recorded again: recent
        recent.put(key(3), new RepeatedEvents.Seen("e3", 1, "t"));
        assertThat(recent.size()).isEqualTo(3);
        assertThat(recent.get(key(1))).as("least recently recorded").isNull();
        assertThat(recent.get(key(0))).isNotNull();
        assertThat(recent.get(key(3)).name()).isEqualTo("e3");
        for (int i = 4; i < 10_000; i++) {
            recent.put(key(i), new RepeatedEvents.Seen("e" + i, 1, "t"));
        }
        assertThat(recent.size()).isEqualTo(3);
    }

    @Test
    void anotherMessageIsAnotherEvent() {
        RepeatedEvents recent = new RepeatedEvents(10);
        recent.put(key(0), new RepeatedEvents.Seen("e0", 2, "t"));
        assertThat(recent.get(new RepeatedEvents.Key("ns", "uid-0", "Warning", "InvalidSpec", "other"))).isNull();
        assertThat(recent.get(key(0)).count()).isEqualTo(2);
    }
}
