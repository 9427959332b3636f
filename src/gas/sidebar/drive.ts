/** Evidence links on Drive: the file's name and, for sensitive units, whether it is shared too widely. */
import { LINK_KIND_LABEL, type LinkKind, checkUrl } from '../../core/evidence/links';
import type { LinkCheck } from '../../core/evidence/sidebar-api';
import { displayText } from '../../core/evidence/links';
/** Drive look-ups per view, so a cell full of links cannot make the sidebar slow. */
export const MAX_DRIVE_CHECKS = 5;

export type DriveInfo = { status: 'ok'; name: string; access: string } | { status: 'no-permission' } | { status: 'not-found' };

/** Name and sharing of a Drive file or folder; never throws (no Drive scope, no access). */
export function driveInfo(kind: LinkKind, id: string): DriveInfo {
  try {
    const item = kind === 'drive-folder' ? DriveApp.getFolderById(id) : DriveApp.getFileById(id);
    const name = item.getName();
    let access = '';
    try {
      access = String(item.getSharingAccess());
    } catch (_) {
      access = '';
    }
    return { status: 'ok', name, access };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return /no item with the given id|not found/i.test(msg) ? { status: 'not-found' } : { status: 'no-permission' };
  }
}

export const PUBLIC_ACCESS = new Set(['ANYONE', 'ANYONE_WITH_LINK']);

export function describeLink(url: string, sensitive: boolean): LinkCheck {
  const c = checkUrl(url);
  if (!c.ok) return { url, kindLabel: '', fileName: null, drive: 'not-drive', warning: null, note: c.error };
  const kindLabel = LINK_KIND_LABEL[c.kind];
  if (!c.driveId) {
    const note = sensitive
      ? 'Đường dẫn không thuộc Google Drive nên không kiểm tra được quyền chia sẻ. Minh chứng của đơn vị nhạy cảm phải ' +
        'được chia sẻ hạn chế.'
      : null;
    return { url: c.url, kindLabel, fileName: null, drive: 'not-drive', warning: null, note };
  }
  const info = driveInfo(c.kind, c.driveId);
  if (info.status === 'no-permission') {
    const note =
      'Không kiểm tra được tệp trên Google Drive: tiện ích chưa được cấp quyền xem Google Drive.' +
      (sensitive ? ' Hãy tự kiểm tra tệp chỉ được chia sẻ hạn chế.' : '');
    return { url: c.url, kindLabel, fileName: null, drive: 'no-permission', warning: null, note };
  }
  if (info.status === 'not-found') {
    const note =
      'Không đọc được tệp này trên Google Drive (tệp không tồn tại, đã bị xóa hoặc bạn không có quyền xem) nên không kiểm tra được ' +
      'tên tệp và quyền chia sẻ.' +
      (sensitive ? ' Minh chứng của đơn vị nhạy cảm phải được chia sẻ hạn chế.' : '');
    return { url: c.url, kindLabel, fileName: null, drive: 'not-found', warning: null, note };
  }
  let warning: string | null = null;
  if (sensitive && PUBLIC_ACCESS.has(info.access)) {
    const how = info.access === 'ANYONE' ? 'đang công khai trên Internet' : 'đang chia sẻ cho bất kỳ ai có đường liên kết';
    warning = `Đơn vị nhạy cảm: tệp ${how}. Hãy đổi quyền truy cập chung của tệp trên Google Drive thành "Bị hạn chế".`;
  }
  // A file name may carry direction overrides (U+202E…) meant to mislead: shown without them.
  return { url: c.url, kindLabel, fileName: displayText(info.name), drive: 'ok', warning, note: null };
}
