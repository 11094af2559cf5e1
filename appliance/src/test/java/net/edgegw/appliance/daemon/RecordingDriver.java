package net.edgegw.appliance.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.edgegw.mgmt.port.TunnelStatus.StateWord;

/** The test double of {@link TunnelDriver}: records each call, refuses the connections it is told to. */
final class RecordingDriver implements TunnelDriver {
    final List<String> calls = new ArrayList<>();
    final Map<String, String> refuse = new HashMap<>();
    final Map<String, Tunnel> up = new HashMap<>();
    boolean closed;

    @Override
    public String start(Tunnel t) {
        calls.add("start " + t.name());
        if ("bug".equals(refuse.get(t.name()))) {
            throw new IllegalStateException("driver bug");
        }
        String reason = refuse.get(t.name());
        if (reason == null) {
            up.put(t.name(), t);
        }
        return reason;
    }

    @Override
    public String update(Tunnel before, Tunnel after) {
        calls.add("update " + after.name());
        up.put(after.name(), after);
        return null;
    }

    @Override
    public void stop(Tunnel t) {
        calls.add("stop " + t.name());
        up.remove(t.name());
    }

    @Override
    public StateWord state(String connection) {
        return up.containsKey(connection) ? StateWord.UP : StateWord.DOWN;
    }

    @Override
    public net.edgegw.mgmt.port.ActionResult terminate(String connection) {
        calls.add("terminate " + connection);
        return net.edgegw.mgmt.port.ActionResult.accepted("deleting");
    }

    @Override
    public void close() {
        closed = true;
    }

    List<String> drain() {
        List<String> out = List.copyOf(calls);
        calls.clear();
        return out;
    }
}
