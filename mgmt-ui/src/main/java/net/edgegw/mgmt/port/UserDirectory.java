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

    List<ApiToken> tokens();

    Optional<ApiToken> tokenBySecretHash(String secretHash);

    void addToken(ApiToken token);

    boolean revokeToken(String id);
}
