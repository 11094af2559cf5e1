package net.edgegw.mgmt.port;

import java.util.List;
import java.util.Optional;

/** Users and API tokens. */
public interface UserDirectory {
    List<User> list();

    Optional<User> user(String name);

    /** Creates a user; false if the name is taken. */
    boolean create(User user);

    /**
     * Creates the first user, atomically: false if any user exists already. This is what closes first-boot
     * setup, so two concurrent setups cannot both succeed.
     */
    boolean createFirst(User user);

    /** Replaces an existing user (role, password); false if there is no such user. */
    boolean update(User user);

    /** Deletes a user and every token it owns; false if there is no such user. */
    boolean delete(String name);

    /** What a change that must leave at least one admin did. */
    enum Guarded { DONE, NO_SUCH_USER, LAST_ADMIN }

    /**
     * Replaces an existing user unless that would demote the last admin, in one atomic step: the check and the
     * change see the same directory, so two admins demoting each other at once cannot leave none. This default
     * is atomic only against the other callers of these two defaults; a directory shared with other writers (a
     * database) overrides both with one transaction.
     */
    default Guarded updateKeepingAnAdmin(User user) {
        synchronized (this) {
            Optional<User> old = user(user.name());
            if (old.isEmpty()) {
                return Guarded.NO_SUCH_USER;
            }
            if (user.role() != Role.ADMIN && lastAdmin(old.get())) {
                return Guarded.LAST_ADMIN;
            }
            return update(user) ? Guarded.DONE : Guarded.NO_SUCH_USER;
        }
    }

    /** Deletes a user (and its tokens) unless it is the last admin, atomically as {@link #updateKeepingAnAdmin}. */
    default Guarded deleteKeepingAnAdmin(String name) {
        synchronized (this) {
            Optional<User> old = user(name);
            if (old.isEmpty()) {
                return Guarded.NO_SUCH_USER;
            }
            if (lastAdmin(old.get())) {
                return Guarded.LAST_ADMIN;
            }
            return delete(name) ? Guarded.DONE : Guarded.NO_SUCH_USER;
        }
    }

    private boolean lastAdmin(User u) {
        return u.role() == Role.ADMIN && list().stream().filter(x -> x.role() == Role.ADMIN).count() == 1;
    }

    List<ApiToken> tokens();

    Optional<ApiToken> tokenBySecretHash(String secretHash);

    void addToken(ApiToken token);

    boolean revokeToken(String id);
}
