package dev.uff4j.spark;

import dev.uff4j.distributed.FederatedAveraging.ClientUpdate;
import dev.uff4j.train.PartState;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ClientUpdate} as a task returns it to the driver: the parts' states as {@link PartState#toBytes} bytes.
 *
 * @param client  the client, from 0
 * @param parts   its trained states' bytes, in order; null when it failed
 * @param samples its sample count (the weight of its states)
 * @param failure why it failed, or null
 */
record WireUpdate(int client, byte[][] parts, long samples, String failure) implements Serializable {
    private static final long serialVersionUID = 1L;

    static WireUpdate trained(int client, List<PartState> parts, long samples) {
        byte[][] bytes = new byte[parts.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = parts.get(i).toBytes();
        }
        return new WireUpdate(client, bytes, samples, null);
    }

    static WireUpdate failed(int client, String why) {
        return new WireUpdate(client, null, 0, why);
    }

    /**
     * The update on the driver, its states rebuilt.
     *
     * @return the client's update
     */
    ClientUpdate toUpdate() {
        if (failure != null) {
            return ClientUpdate.failed(client, failure);
        }
        List<PartState> states = new ArrayList<>(parts.length);
        for (byte[] b : parts) {
            states.add(PartState.fromBytes(b));
        }
        return ClientUpdate.trained(client, states, samples);
    }
}
