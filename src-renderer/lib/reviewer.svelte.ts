// Who is reviewing: written into every label, note and review state. Remembered per machine.
const KEY = 'leadlens-reviewer';

function stored(): string {
  try {
    return localStorage.getItem(KEY) || 'reviewer';
  } catch {
    return 'reviewer';
  }
}

let name = $state(stored());

export const reviewer = {
  get name(): string {
    return name.trim() || 'reviewer';
  },
  set name(v: string) {
    name = v;
    try {
      localStorage.setItem(KEY, v);
    } catch {
      // storage can be disabled; the name then lasts for the session
    }
  },
};
