package dev.kpat.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code --log-format} and {@code --log-level} to the logging the jar ships (logback.xml): the format swaps
 * the console appender's encoder, the level sets kpat's own loggers. Other configurations are left alone.
 */
public final class LogSetup {
    /** How log lines are written. */
    public enum Format { text, json }

    private LogSetup() {
    }

    public static void apply(Format format, String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if (level != null) {
            context.getLogger("dev.kpat").setLevel(Level.toLevel(level, Level.INFO));
        }
        if (format == Format.json) {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
                    JsonLineEncoder encoder = new JsonLineEncoder();
                    encoder.setContext(context);
                    encoder.start();
                    console.stop();
                    console.setEncoder(encoder);
                    console.start();
                }
            }
        }
    }
}
