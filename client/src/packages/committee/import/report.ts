import type { ImportAction, ImportChange, ImportReport, ImportRow } from '@liren/shared/contracts'

/** The order the committee reads a dry run in: what must be fixed first, what stays the same last. */
export const GROUP_ORDER: readonly ImportAction[] = ['error', 'create', 'update', 'unchanged']

export const GROUP_TITLE: Record<ImportAction, string> = {
  error: '有错，要改',
  create: '新增',
  update: '修改',
  unchanged: '不变',
}

export function groupRows(report: ImportReport): Record<ImportAction, ImportRow[]> {
  const groups: Record<ImportAction, ImportRow[]> = { error: [], create: [], update: [], unchanged: [] }
  for (const row of report.rows) groups[row.action].push(row)
  return groups
}

/** "住址：旧 → 新" for a change; just "户：新建 …" for what a new row brings. */
export function changeText(change: ImportChange, action: ImportAction): string {
  const empty = (value: string) => (value === '' ? '（空）' : value)
  if (action !== 'update' && change.from === '') return `${change.field}：${change.to}`
  return `${change.field}：${empty(change.from)} → ${empty(change.to)}`
}

/** Whether committing would write anything, and may: no bad rows, no problem with the file. */
export function canCommit(report: ImportReport): boolean {
  const { summary } = report
  const changes = summary.peopleCreated + summary.peopleUpdated + summary.householdsCreated + summary.householdsUpdated
  return summary.errors === 0 && report.fileErrors.length === 0 && changes > 0
}

const EXTENSIONS = ['xlsx', 'csv']
export const MAX_FILE_BYTES = 5 * 1024 * 1024

/** Checked before uploading, so a wrong file gets a plain answer at once. */
export function fileProblem(name: string, size: number): string | null {
  const extension = name.split('.').pop()?.toLowerCase() ?? ''
  if (!EXTENSIONS.includes(extension))
    return '只能导入 Excel 表格（.xlsx）或 CSV 文件。老的 .xls 表格请先在 Excel 或 WPS 里“另存为” .xlsx。'
  if (size > MAX_FILE_BYTES) return '文件太大了（最多 5 MB）。请检查是不是选错了文件。'
  if (size === 0) return '这个文件是空的。'
  return null
}
