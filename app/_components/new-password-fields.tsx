/** A new password typed twice: the password page and the mailed set-your-password link. */
export function NewPasswordFields() {
  return (
    <>
      <label>
        New password (at least 10 characters)
        <input name="next" type="password" autoComplete="new-password" minLength={10} required />
      </label>
      <label>
        New password again
        <input name="repeat" type="password" autoComplete="new-password" minLength={10} required />
      </label>
    </>
  );
}
