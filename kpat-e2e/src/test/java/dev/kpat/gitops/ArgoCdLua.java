package dev.kpat.gitops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseOsLib;

/**
 * Runs Argo CD resource customizations (health.lua, discovery.lua, action.lua) as Argo CD does: the object as the
 * global {@code obj} (JSON maps and lists turned into Lua tables), and only the libraries Argo CD opens for them:
 * base, package, table and a "safe" os with date, time and clock. A script that leans on anything else (string,
 * io, os.execute) fails here as it would in Argo CD.
 */
final class ArgoCdLua {
    private ArgoCdLua() {
    }

    /** Runs {@code script} with {@code obj} and returns what it returns, as plain Java values. */
    static Object run(Path script, Map<String, Object> obj) throws Exception {
        Globals globals = sandbox();
        globals.set("obj", toLua(obj));
        LuaValue chunk = globals.load(Files.readString(script), script.getFileName().toString());
        return toJava(chunk.call());
    }

    private static Globals sandbox() {
        Globals globals = new Globals();
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new TableLib());
        LoadState.install(globals);
        LuaC.install(globals);
        Globals full = new Globals();
        full.load(new JseBaseLib());
        full.load(new PackageLib());
        full.load(new JseOsLib());
        LuaValue os = full.get("os");
        LuaTable safeOs = new LuaTable();
        for (String f : List.of("clock", "date", "time")) {
            safeOs.set(f, os.get(f));
        }
        globals.set("os", safeOs);
        globals.get("package").get("loaded").set("os", safeOs);
        return globals;
    }

    @SuppressWarnings("unchecked")
    static LuaValue toLua(Object value) {
        if (value == null) {
            return LuaValue.NIL;
        }
        if (value instanceof Map<?, ?> map) {
            LuaTable t = new LuaTable();
            map.forEach((k, v) -> t.set(String.valueOf(k), toLua(v)));
            return t;
        }
        if (value instanceof List<?> list) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < list.size(); i++) {
                t.set(i + 1, toLua(list.get(i)));
            }
            return t;
        }
        if (value instanceof Boolean b) {
            return LuaValue.valueOf(b);
        }
        if (value instanceof Number n) {
            return n instanceof Double || n instanceof Float ? LuaValue.valueOf(n.doubleValue())
                    : LuaValue.valueOf(n.longValue());
        }
        return LuaValue.valueOf(value.toString());
    }

    /** Lua tables with keys 1..n become lists (as Argo CD converts them back), other tables maps. */
    static Object toJava(LuaValue value) {
        if (value.isnil()) {
            return null;
        }
        if (value.isboolean()) {
            return value.toboolean();
        }
        if (value.type() == LuaValue.TNUMBER) {
            return value.isinttype() || value.todouble() == Math.rint(value.todouble())
                    ? (Object) value.tolong() : (Object) value.todouble();
        }
        if (value.istable()) {
            LuaTable t = (LuaTable) value;
            int n = t.length();
            if (n > 0 && t.keyCount() == n) {
                List<Object> list = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    list.add(toJava(t.get(i)));
                }
                return list;
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (LuaValue k : t.keys()) {
                map.put(k.tojstring(), toJava(t.get(k)));
            }
            return map;
        }
        return value.tojstring();
    }
}
