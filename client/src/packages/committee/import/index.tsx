import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import type { ImportAction, ImportReport, ImportRow } from '@liren/shared/contracts'
import { placeWords, REQUIRED_ROSTER_COLUMNS, ROSTER_COLUMNS } from '@liren/shared/rules'
import { Card } from '../../../components/Card'
import { Page } from '../../../components/Page'
import { formatFileSize } from '../../../lib/format'
import { useVillageMembership } from '../../../lib/village'
import { ApiError, type PickedFile } from '../../../services/http'
import { downloadTemplate, importRoster } from '../../../services/roster'
import { rosterPaths } from '../paths'
import { FilePicker } from './FilePicker'
import { canCommit, changeText, fileProblem, GROUP_ORDER, GROUP_TITLE, groupRows } from './report'
import './index.css'

const REQUIRED_COLUMNS = REQUIRED_ROSTER_COLUMNS
const OPTIONAL_COLUMNS = ROSTER_COLUMNS.filter((c) => !REQUIRED_ROSTER_COLUMNS.includes(c))

const HANDLED = ['UNSUPPORTED_FILE', 'FILE_TOO_LARGE', 'IMPORT_HAS_ERRORS', 'VALIDATION_FAILED'] as const

type Step =
  | { step: 'choose' }
  | { step: 'checking'; file: PickedFile }
  | { step: 'refused'; file: PickedFile; message: string; reasons: string[] }
  | { step: 'checked'; file: PickedFile; report: ImportReport }
  | { step: 'committing'; file: PickedFile; report: ImportReport }
  | { step: 'done'; report: ImportReport }

export default function ImportRoster() {
  const { villageId, membership } = useVillageMembership()
  const [step, setStep] = useState<Step>({ step: 'choose' })

  function refusal(file: PickedFile, error: unknown) {
    if (!(error instanceof ApiError)) return setStep({ step: 'choose' })
    const reasons = error.details.map((d) => (d.field ? `${d.field}：${d.message}` : d.message))
    setStep({ step: 'refused', file, message: error.message, reasons })
  }

  async function check(file: PickedFile) {
    const problem = fileProblem(file.name, file.size)
    if (problem) return setStep({ step: 'refused', file, message: problem, reasons: [] })
    setStep({ step: 'checking', file })
    try {
      setStep({ step: 'checked', file, report: await importRoster(villageId, file, false, HANDLED) })
    } catch (error) {
      refusal(file, error)
    }
  }

  async function commit(file: PickedFile, report: ImportReport) {
    setStep({ step: 'committing', file, report })
    try {
      setStep({ step: 'done', report: await importRoster(villageId, file, true, HANDLED) })
    } catch (error) {
      refusal(file, error)
    }
  }

  function backToRoster() {
    const pages = Taro.getCurrentPages()
    const previous = pages[pages.length - 2]
    if (previous?.route?.includes('packages/committee/roster/index')) void Taro.navigateBack()
    else void Taro.redirectTo({ url: rosterPaths.roster(villageId) })
  }

  const words = placeWords(membership?.villageKind ?? 'rural')

  if (step.step === 'done') {
    const { summary } = step.report
    return (
      <Page className='import'>
        <Card title='导入成功' className='import__done'>
          <View className='lr-text'>
            花名册已更新：新增 {summary.peopleCreated} 人、{summary.householdsCreated} 户，修改 {summary.peopleUpdated}{' '}
            人、
            {summary.householdsUpdated} 户。
          </View>
          <View className='lr-muted import__done-note'>
            新加入的{words.member}申请加入时，审核页面会提示花名册里的对应人员。
          </View>
        </Card>
        <View className='lr-stack'>
          <Button
            type='primary'
            size='large'
            block
            className='lr-block-button import__to-roster'
            onClick={backToRoster}
          >
            查看花名册
          </Button>
          <Button
            size='large'
            block
            fill='outline'
            className='lr-block-button'
            onClick={() => setStep({ step: 'choose' })}
          >
            再导入一个文件
          </Button>
        </View>
      </Page>
    )
  }

  const file = step.step === 'choose' ? null : step.file
  const report = step.step === 'checked' || step.step === 'committing' ? step.report : null

  return (
    <Page className={`import${report ? ' import--with-bar' : ''}`}>
      <View className='lr-heading'>{membership ? `${membership.villageName} · 导入花名册` : '导入花名册'}</View>

      {report === null ? (
        <Card title='第一步：准备表格' className='import__template'>
          <View className='lr-text'>
            用村里现有的 Excel 花名册就行，第一行写列名，一行一个人，同一户的人写同一个户号。
          </View>
          <View className='lr-muted import__columns'>
            <View>必填的列：{REQUIRED_COLUMNS.join('、')}</View>
            <View>可选的列：{OPTIONAL_COLUMNS.join('、')}</View>
            <View>
              性别写“男”或“女”；出生日期写成 1958年3月12日；状态写“在册”“迁出”或“去世”；{words.member}
              代表、党员写“是”或“否”；代表户写户号，用“、”隔开。
            </View>
          </View>
          <View className='lr-actions'>
            <Button
              size='large'
              block
              fill='outline'
              className='import__download'
              onClick={() => downloadTemplate(villageId).catch(() => undefined)}
            >
              下载空白模板
            </Button>
          </View>
        </Card>
      ) : null}

      <Card title={report ? '文件' : '第二步：选择文件'} className='import__file'>
        {file ? (
          <View className='import__file-name'>
            <View className='lr-text'>{file.name}</View>
            <View className='lr-muted'>{formatFileSize(file.size)}</View>
          </View>
        ) : (
          <View className='lr-muted import__file-intro'>选好以后会先检查，不会马上写入花名册。</View>
        )}
        {step.step === 'checking' ? <View className='lr-text import__checking'>正在检查，请稍候…</View> : null}
        {step.step === 'refused' ? (
          <View className='import__refused'>
            <View className='lr-error import__refused-message'>{step.message}</View>
            {step.reasons.map((reason) => (
              <View key={reason} className='lr-error'>
                · {reason}
              </View>
            ))}
          </View>
        ) : null}
        {step.step !== 'checking' && step.step !== 'committing' ? (
          <View className='lr-actions'>
            <FilePicker
              label={file ? '重新选择文件' : '选择文件'}
              primary={!report || !canCommit(report)}
              onPick={check}
            />
          </View>
        ) : null}
      </Card>

      {report ? <ReportView report={report} /> : null}

      {/* Always in view at the bottom, however long the report. */}
      {report ? (
        <View className='import__commit-bar'>
          <View className='lr-muted import__commit-note'>
            {canCommit(report)
              ? '检查没有发现问题。点“确认导入”后才会写入花名册。'
              : '表格里的问题改好以后，才能导入。'}
          </View>
          <Button
            type='primary'
            size='large'
            block
            className='lr-block-button import__commit'
            disabled={!canCommit(report) || step.step === 'committing'}
            loading={step.step === 'committing'}
            onClick={() => step.step === 'checked' && commit(step.file, step.report)}
          >
            确认导入
          </Button>
        </View>
      ) : null}
    </Page>
  )
}

function ReportView({ report }: { report: ImportReport }) {
  const { summary } = report
  const groups = groupRows(report)
  const hasProblems = summary.errors > 0 || report.fileErrors.length > 0
  const figures = [
    { label: '新增', value: `${summary.peopleCreated} 人`, className: 'import__figure--create' },
    { label: '修改', value: `${summary.peopleUpdated} 人`, className: 'import__figure--update' },
    { label: '不变', value: `${summary.peopleUnchanged} 人`, className: 'import__figure--unchanged' },
    {
      label: '有错',
      value: `${summary.errors} 行`,
      className: `import__figure--error${summary.errors ? '' : ' import__figure--none'}`,
    },
  ]
  return (
    <>
      <Card title='检查结果' className='import__summary'>
        <View className='import__figures'>
          {figures.map((figure) => (
            <View key={figure.label} className={`import__figure ${figure.className}`}>
              <View className='import__figure-value'>{figure.value}</View>
              <View className='import__figure-label'>{figure.label}</View>
            </View>
          ))}
        </View>
        <View className='lr-text'>
          共 {summary.rows} 行；新增 {summary.householdsCreated} 户，修改 {summary.householdsUpdated} 户。
        </View>
        {report.fileErrors.map((message) => (
          <View key={message} className='lr-error import__file-error'>
            {message}
          </View>
        ))}
        {hasProblems ? (
          <View className='lr-warning'>这次什么都没有写入。请在表格里改好下面标红的地方，保存后点“重新选择文件”。</View>
        ) : null}
        {!hasProblems && !canCommit(report) ? (
          <View className='lr-text'>表格和花名册完全一样，不需要导入。</View>
        ) : null}
      </Card>
      {GROUP_ORDER.map((action) =>
        groups[action].length ? <RowGroup key={action} action={action} rows={groups[action]} /> : null,
      )}
    </>
  )
}

const SHOWN_AT_FIRST = 30

function RowGroup({ action, rows }: { action: ImportAction; rows: ImportRow[] }) {
  // Unchanged rows are only there to be counted: folded until asked for.
  const [shown, setShown] = useState(action === 'unchanged' ? 0 : SHOWN_AT_FIRST)
  return (
    <Card className={`import__group import__group--${action}`} title={`${GROUP_TITLE[action]}（${rows.length}）`}>
      {rows.slice(0, shown).map((row) => (
        <View key={row.row} className='import__row'>
          <View className='import__row-title'>
            第 {row.row} 行 · {row.name || '（没有姓名）'}
            {row.householdNumber ? ` · 户号 ${row.householdNumber}` : ''}
          </View>
          {row.errors.map((message) => (
            <View key={message} className='lr-error import__row-error'>
              {message}
            </View>
          ))}
          {row.changes.map((change) => (
            <View key={change.field} className='lr-muted import__row-change'>
              {changeText(change, action)}
            </View>
          ))}
        </View>
      ))}
      {shown < rows.length ? (
        <View className='lr-actions'>
          <Button
            size='large'
            block
            fill='outline'
            className='import__show-more'
            onClick={() => setShown(shown + SHOWN_AT_FIRST)}
          >
            {shown === 0 ? '展开看看' : `再显示 ${Math.min(SHOWN_AT_FIRST, rows.length - shown)} 行`}
          </Button>
        </View>
      ) : null}
    </Card>
  )
}
