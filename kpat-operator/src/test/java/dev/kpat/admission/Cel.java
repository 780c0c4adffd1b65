package dev.kpat.admission;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates Kubernetes CEL (CRD {@code x-kubernetes-validations} and ValidatingAdmissionPolicy expressions) with
 * CEL's Java implementation: the standard library and macros, the strings extension Kubernetes enables, and the
 * {@code authorizer} object, backed by a {@link FakeAuthorizer} that answers from a table of allowed checks.
 */
final class Cel {
    static final OpaqueType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
    static final OpaqueType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
    static final OpaqueType DECISION = OpaqueType.create("kubernetes.authorization.Decision");

    private final CelCompiler compiler;
    private final CelRuntime runtime;

    Cel(List<String> variables) {
        var builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelExtensions.strings())
                .addVar("authorizer", AUTHORIZER)
                .addFunctionDeclarations(
                        member("group", AUTHORIZER, RESOURCE_CHECK),
                        member("resource", RESOURCE_CHECK, RESOURCE_CHECK),
                        member("namespace", RESOURCE_CHECK, RESOURCE_CHECK),
                        member("name", RESOURCE_CHECK, RESOURCE_CHECK),
                        member("check", RESOURCE_CHECK, DECISION),
                        CelFunctionDecl.newFunctionDeclaration("allowed",
                                CelOverloadDecl.newMemberOverload("decision_allowed", SimpleType.BOOL, DECISION)));
        for (String v : variables) {
            builder.addVar(v, SimpleType.DYN);
        }
        compiler = builder.build();
        runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .addLibraries(CelExtensions.strings())
                .addFunctionBindings(
                        CelFunctionBinding.from("authorizer_group", FakeAuthorizer.class, String.class,
                                FakeAuthorizer::group),
                        CelFunctionBinding.from("check_resource", FakeAuthorizer.Check.class, String.class,
                                (c, v) -> c.with("resource", v)),
                        CelFunctionBinding.from("check_namespace", FakeAuthorizer.Check.class, String.class,
                                (c, v) -> c.with("namespace", v)),
                        CelFunctionBinding.from("check_name", FakeAuthorizer.Check.class, String.class,
                                (c, v) -> c.with("name", v)),
                        CelFunctionBinding.from("check_check", FakeAuthorizer.Check.class, String.class,
                                FakeAuthorizer.Check::verb),
                        CelFunctionBinding.from("decision_allowed", FakeAuthorizer.Decision.class,
                                FakeAuthorizer.Decision::allowed))
                .build();
    }

    private static CelFunctionDecl member(String name, OpaqueType on, OpaqueType returns) {
        String overload = (on == AUTHORIZER ? "authorizer_" : name.equals("check") ? "check_" : "check_") + name;
        return CelFunctionDecl.newFunctionDeclaration(name,
                CelOverloadDecl.newMemberOverload(overload, returns, on, SimpleType.STRING));
    }

    /** Compiles and evaluates {@code expression}; a compile error fails loudly, naming the expression. */
    Object eval(String expression, Map<String, Object> vars) {
        try {
            var ast = compiler.compile(expression).getAst();
            return runtime.createProgram(ast).eval(celValues(vars));
        } catch (Exception e) {
            throw new IllegalStateException("CEL '" + expression + "': " + e.getMessage(), e);
        }
    }

    boolean holds(String expression, Map<String, Object> vars) {
        return Boolean.TRUE.equals(eval(expression, vars));
    }

    /** JSON-shaped values (from Jackson) as CEL wants them: integers as long, nested maps and lists converted. */
    @SuppressWarnings("unchecked")
    static <T> T celValues(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (v != null) {
                    out.put(k, celValues(v));
                }
            });
            return (T) out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(celValues(v)));
            return (T) out;
        }
        if (value instanceof Integer i) {
            return (T) Long.valueOf(i);
        }
        return value;
    }
}
