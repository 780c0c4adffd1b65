package dev.kpat.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Captures what the process logs (the operator in-process included) while open, with the operator framework and
 * the Kubernetes client lowered to WARN so their warnings (a refused watch, a failed reconcile) are seen too.
 * Keeps level, logger, message and the messages of the exception chain.
 */
public final class LogCapture implements AutoCloseable {
    private static final List<String> WATCHED = List.of("io.javaoperatorsdk", "io.fabric8", "dev.kpat");

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Map<Logger, Level> savedLevels = new LinkedHashMap<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                    + event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
    };

    public static LogCapture start() {
        return new LogCapture().attach();
    }

    private LogCapture attach() {
        for (String name : WATCHED) {
            Logger logger = context.getLogger(name);
            savedLevels.put(logger, logger.getLevel());
            Level level = logger.getEffectiveLevel();
            if (level.isGreaterOrEqual(Level.ERROR)) {
                logger.setLevel(Level.WARN);
            }
        }
        appender.setContext(context);
        appender.setName("kpat-test-capture-" + System.identityHashCode(this));
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return this;
    }

    /** The captured lines that match {@code pattern} anywhere. */
    public List<String> matching(Pattern pattern) {
        return lines.stream().filter(l -> pattern.matcher(l).find()).toList();
    }

    public void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
        savedLevels.forEach(Logger::setLevel);
    }
}
