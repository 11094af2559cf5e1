package net.edgegw.appliance.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The management server's users and API tokens, in the store's database (tables {@code account} and
 * {@code api_token}, migration 3): each call is one transaction under the store's lock, so "create the first user"
 * is atomic and a deleted user's tokens go with it (foreign key {@code ON DELETE CASCADE}).
 */
public final class Accounts {
    private static final String ACCOUNT_COLUMNS = "SELECT name, role, password_hash, created_at FROM account";
    private static final String ADMIN = "admin";
    private static final String TOKEN_COLUMNS = "SELECT id, name, owner, role, secret_hash, created_at FROM api_token";

    private final ConfigStore store;

    Accounts(ConfigStore store) {
        this.store = store;
    }

    public List<Account> list() {
        return store.transaction("list users", db -> accounts(db, ACCOUNT_COLUMNS + " ORDER BY created_at, name", null));
    }

    public Optional<Account> get(String name) {
        return store.transaction("read a user", db -> accounts(db, ACCOUNT_COLUMNS + " WHERE name = ?", name))
                .stream().findFirst();
    }

    /** Creates {@code a}; false if the name is taken, or if {@code onlyIfNone} and any user exists. */
    public boolean create(Account a, boolean onlyIfNone) {
        return store.transaction("create a user", db -> {
            String guard = onlyIfNone ? "SELECT COUNT(*) FROM account" : "SELECT COUNT(*) FROM account WHERE name = ?";
            try (PreparedStatement ps = db.prepareStatement(guard)) {
                if (!onlyIfNone) {
                    ps.setString(1, a.name());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return false;
                    }
                }
            }
            return update(db, "INSERT INTO account(role, password_hash, created_at, name) VALUES (?, ?, ?, ?)", a);
        });
    }

    /** Replaces the role and password hash of an existing user; false if there is none. */
    public boolean update(Account a) {
        return store.transaction("update a user", db -> update(db,
                "UPDATE account SET role = ?, password_hash = ?, created_at = ? WHERE name = ?", a));
    }

    private static boolean update(Connection db, String sql, Account a) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, a.role());
            ps.setString(2, a.passwordHash());
            ps.setTimestamp(3, Timestamp.from(a.created()));
            ps.setString(4, a.name());
            return ps.executeUpdate() == 1;
        }
    }

    /** What {@link #changeKeepingAdmin} did. */
    public enum Guarded { DONE, NO_SUCH_USER, LAST_ADMIN }

    /**
     * Replaces user {@code name} by {@code replacement} ({@code null}: deletes it and its tokens) unless that
     * leaves no {@code admin}: the admin count, the check and the change are one transaction under the store's
     * lock, so two admins demoting each other at once cannot both succeed.
     */
    public Guarded changeKeepingAdmin(String name, Account replacement) {
        return store.transaction(replacement == null ? "delete a user" : "update a user", db -> {
            List<Account> old = accounts(db, ACCOUNT_COLUMNS + " WHERE name = ?", name);
            if (old.isEmpty()) {
                return Guarded.NO_SUCH_USER;
            }
            boolean losesAdmin = ADMIN.equals(old.get(0).role())
                    && (replacement == null || !ADMIN.equals(replacement.role()));
            if (losesAdmin && accounts(db, ACCOUNT_COLUMNS + " WHERE role = ?", ADMIN).size() == 1) {
                return Guarded.LAST_ADMIN;
            }
            boolean done = replacement == null ? delete(db, "DELETE FROM account WHERE name = ?", name)
                    : update(db, "UPDATE account SET role = ?, password_hash = ?, created_at = ? WHERE name = ?",
                    replacement);
            return done ? Guarded.DONE : Guarded.NO_SUCH_USER;
        });
    }

    /** Deletes a user and its tokens; false if there is none. */
    public boolean delete(String name) {
        return store.transaction("delete a user", db -> delete(db, "DELETE FROM account WHERE name = ?", name));
    }

    public List<AccountToken> tokens() {
        return store.transaction("list API tokens", db -> tokens(db, TOKEN_COLUMNS + " ORDER BY created_at, id", null));
    }

    public Optional<AccountToken> tokenBySecretHash(String secretHash) {
        return store.transaction("look up an API token",
                db -> tokens(db, TOKEN_COLUMNS + " WHERE secret_hash = ?", secretHash)).stream().findFirst();
    }

    /** Stores a token (replacing one with the same id). */
    public void addToken(AccountToken t) {
        store.transaction("add an API token", db -> {
            try (PreparedStatement ps = db.prepareStatement("MERGE INTO api_token(id, name, owner, role, secret_hash,"
                    + " created_at) KEY(id) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, t.id());
                ps.setString(2, t.name());
                ps.setString(3, t.owner());
                ps.setString(4, t.role());
                ps.setString(5, t.secretHash());
                ps.setTimestamp(6, Timestamp.from(t.created()));
                return ps.executeUpdate();
            }
        });
    }

    public boolean revokeToken(String id) {
        return store.transaction("revoke an API token", db -> delete(db, "DELETE FROM api_token WHERE id = ?", id));
    }

    private static boolean delete(Connection db, String sql, String key) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, key);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<Account> accounts(Connection db, String sql, String key) throws SQLException {
        return query(db, sql, key, rs -> new Account(rs.getString(1), rs.getString(2), rs.getString(3),
                ConfigStore.instant(rs, 4)));
    }

    private static List<AccountToken> tokens(Connection db, String sql, String key) throws SQLException {
        return query(db, sql, key, rs -> new AccountToken(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), ConfigStore.instant(rs, 6)));
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** The rows of {@code sql}, with {@code key} as its one parameter unless null. */
    private static <T> List<T> query(Connection db, String sql, String key, Row<T> row) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            if (key != null) {
                ps.setString(1, key);
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        }
    }
}
