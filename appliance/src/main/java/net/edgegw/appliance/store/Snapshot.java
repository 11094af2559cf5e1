package net.edgegw.appliance.store;

import net.edgegw.appliance.config.Config;

/** A revision together with the configuration it holds. */
public record Snapshot(Revision revision, Config config) {}
