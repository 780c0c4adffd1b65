import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Build step after Fabric8's CRD generator, which sorts printer columns by JSON path (fabric8io/kubernetes-client
 * #7454), so `kubectl get` would show Age first: puts each CRD's additionalPrinterColumns back in the order the
 * model's @AdditionalPrinterColumn annotations are declared. Edits the generated text in place, line by line, so
 * the generator's formatting (which crds/ must match byte for byte) stays as it is.
 *
 * <p>Run by Maven (exec:exec, process-classes) as a single-file program: {@code java -cp <runtime classpath>
 * PrinterColumnOrder.java <crd dir> <custom resource class>...}.
 */
public final class PrinterColumnOrder {
    private static final Pattern HEADER = Pattern.compile("^( *)(- )?additionalPrinterColumns:\\s*$");
    private static final Pattern NAME = Pattern.compile("^ *(- )?name: \"?(.*?)\"?\\s*$");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            Class<?> type = Class.forName(args[i]);
            List<String> order = declaredColumns(type);
            Path crd = dir.resolve(plural(type) + "." + group(type) + "-v1.yml");
            List<String> lines = Files.readAllLines(crd);
            Files.write(crd, reorder(lines, order));
        }
    }

    /** The column names in declaration order (repeatable annotations keep it). */
    private static List<String> declaredColumns(Class<?> type) throws Exception {
        @SuppressWarnings("unchecked")
        Class<? extends Annotation> column = (Class<? extends Annotation>) Class.forName(
                "io.fabric8.crd.generator.annotation.AdditionalPrinterColumn");
        Method name = column.getMethod("name");
        List<String> out = new ArrayList<>();
        for (Annotation a : type.getAnnotationsByType(column)) {
            out.add((String) name.invoke(a));
        }
        return out;
    }

    private static String plural(Class<?> type) throws Exception {
        return annotationValue(type, "io.fabric8.kubernetes.model.annotation.Plural");
    }

    private static String group(Class<?> type) throws Exception {
        return annotationValue(type, "io.fabric8.kubernetes.model.annotation.Group");
    }

    @SuppressWarnings("unchecked")
    private static String annotationValue(Class<?> type, String annotation) throws Exception {
        Class<? extends Annotation> a = (Class<? extends Annotation>) Class.forName(annotation);
        return (String) a.getMethod("value").invoke(type.getAnnotation(a));
    }

    static List<String> reorder(List<String> lines, List<String> order) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i++);
            out.add(line);
            Matcher header = HEADER.matcher(line);
            if (!header.matches()) {
                continue;
            }
            // items start at the key's own column: "- jsonPath: ..." then "  name: ..."
            int keyColumn = header.group(1).length() + (header.group(2) == null ? 0 : 2);
            String itemStart = " ".repeat(keyColumn) + "- ";
            String itemBody = " ".repeat(keyColumn + 2);
            List<List<String>> items = new ArrayList<>();
            while (i < lines.size() && (lines.get(i).startsWith(itemStart)
                    || (!items.isEmpty() && lines.get(i).startsWith(itemBody)))) {
                if (lines.get(i).startsWith(itemStart)) {
                    items.add(new ArrayList<>());
                }
                items.get(items.size() - 1).add(lines.get(i++));
            }
            items.sort(Comparator.comparingInt(item -> position(order, item)));
            items.forEach(out::addAll);
        }
        return out;
    }

    private static int position(List<String> order, List<String> item) {
        for (String l : item) {
            Matcher m = NAME.matcher(l);
            if (m.matches() && order.contains(m.group(2))) {
                return order.indexOf(m.group(2));
            }
        }
        throw new IllegalStateException("printer column not declared on the model: " + item);
    }
}
