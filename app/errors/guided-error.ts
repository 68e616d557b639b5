// A failure as a person should see it: what happened, why, and the steps that fix it.
// Every error that leaves the engine is one of these; the raw message is kept verbatim.

export type ErrorCode =
  | 'NOT_ROOT_NO_ELEVATION'
  | 'ELEVATION_DENIED'
  | 'NO_POLKIT_AGENT'
  | 'NFS_HELPER_MISSING'
  | 'NFS_KERNEL_MISSING'
  | 'NFS_SERVER_UNREACHABLE'
  | 'NFS_EXPORT_NOT_FOUND'
  | 'NFS_ACCESS_DENIED'
  | 'TARGET_BUSY'
  | 'PLUGIN_MISSING'
  | 'PLUGIN_NOT_ANSWERING'
  | 'PLUGIN_ERROR'
  | 'INVALID_NAME'
  | 'INVALID_OPTION'
  | 'INVALID_REQUEST'
  | 'VOLUME_NOT_FOUND'
  | 'VOLUME_EXISTS'
  | 'VOLUME_IN_USE'
  | 'HOLDER_UNKNOWN'
  | 'REMOTE_NODE_MISSING'
  | 'REMOTE_LOST'
  | 'REMOTE_INVALID'
  | 'STATE_CORRUPT'
  | 'STATE_LOCKED'
  | 'STATE_DISK_FULL'
  | 'STATE_READ_ONLY'
  | 'TARGET_REFUSED'
  | 'SOURCE_REFUSED'
  | 'PERMISSION_DENIED'
  | 'FOLDER_UNREADABLE'
  | 'VOLUME_NOT_MOUNTED'
  | 'HOST_TOKEN_REFUSED'
  | 'HOST_UNREACHABLE'
  | 'SSH_HOST_UNKNOWN'
  | 'SSH_HOST_CHANGED'
  | 'SSH_AUTH_REFUSED'
  | 'SSH_UNREACHABLE'
  | 'SSH_REMOTE_PATH_MISSING'
  | 'SSH_NO_SFTP'
  | 'SSHFS_MISSING'
  | 'FUSE_MISSING'
  | 'MOUNT_FAILED'
  | 'UNMOUNT_FAILED'
  | 'ARCHIVE_ENTRY_REFUSED'
  | 'ARCHIVE_UNREADABLE'
  | 'ARCHIVE_TRUNCATED'
  | 'ARCHIVE_EXISTS'
  | 'ARCHIVE_SOURCE_UNREADABLE'
  | 'VOLUME_FULL'
  | 'VOLUME_BUSY'
  | 'VOLUME_NOT_EMPTY'
  | 'IMPORT_NOT_APPLIED'
  | 'TRANSFER_CANCELLED'
  | 'OPEN_FAILED'
  | 'UNEXPECTED';

export interface GuidedStep {
  text: string;
  /** An exact command a person can copy, where there is one. */
  command?: string;
}

export interface GuidedErrorData {
  code: ErrorCode;
  title: string;
  /** The raw message from the system, the plugin or the validator. */
  happened: string;
  why: string;
  steps: GuidedStep[];
  /** podman's own one line for this failure, where podman has one: what scripts read first. */
  podman?: string;
}

export class GuidedError extends Error implements GuidedErrorData {
  readonly code: ErrorCode;
  readonly title: string;
  readonly happened: string;
  readonly why: string;
  readonly steps: GuidedStep[];
  readonly podman: string | undefined;

  constructor(data: GuidedErrorData) {
    super(`${data.title}: ${data.happened}`);
    this.name = 'GuidedError';
    this.code = data.code;
    this.title = data.title;
    this.happened = data.happened;
    this.why = data.why;
    this.steps = data.steps;
    this.podman = data.podman;
  }

  toJSON(): GuidedErrorData {
    return { code: this.code, title: this.title, happened: this.happened, why: this.why, steps: this.steps, ...(this.podman === undefined ? {} : { podman: this.podman }) };
  }
}

/** Anything thrown that is not already guided is a defect or an unforeseen system failure. */
export function toGuided(error: unknown, fallback: ErrorCode = 'UNEXPECTED'): GuidedError {
  if (error instanceof GuidedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GuidedError({
    code: fallback,
    title: 'The operation failed',
    happened: message,
    why: 'The system reported an error that Volume Manager does not recognise.',
    steps: [{ text: 'Read the message above; if it names a file or command, check that first.' }],
  });
}
