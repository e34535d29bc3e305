import { Image, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { ReportSummary } from '@liren/shared/contracts'
import { OPEN_STATES, REPORT_STATE_LABEL } from '@liren/shared/rules'
import { formatDateTime } from '../../../lib/format'
import { fileUrl } from '../../../services/http'
import { URGENCY_WORD } from '../labels'
import { reportPaths } from '../paths'
import './ReportCard.css'

/** One report in a list: its photo, category, state, colour, the first lines of what was seen; tap for all of it. */
export function ReportCard({ villageId, report }: { villageId: number; report: ReportSummary }) {
  const open = OPEN_STATES.includes(report.state)
  return (
    <View
      className={`report-card report-card--${report.urgency}${report.overdue ? ' report-card--overdue' : ''}`}
      onClick={() => Taro.navigateTo({ url: reportPaths.detail(villageId, report.id) })}
    >
      {report.thumbUrl ? (
        <Image className='report-card__thumb' src={fileUrl(report.thumbUrl)} mode='aspectFill' />
      ) : null}
      <View className='report-card__body'>
        <View className='report-card__head'>
          <View className={`report-card__urgency report-card__urgency--${report.urgency}`}>
            {URGENCY_WORD[report.urgency]}
          </View>
          <View className='report-card__category'>{report.category}</View>
          <View
            className={`lr-badge ${open ? 'lr-badge--blue' : report.state === 'closed' || report.state === 'resolved' ? 'lr-badge--green' : 'lr-badge--grey'}`}
          >
            {REPORT_STATE_LABEL[report.state]}
          </View>
          {report.overdue ? <View className='lr-badge lr-badge--red report-card__overdue'>已超时</View> : null}
        </View>
        <View className='report-card__description'>{report.description}</View>
        <View className='lr-muted report-card__meta'>
          {formatDateTime(report.createdAt)}
          {report.gridName ? ` · ${report.gridName}` : ''}
          {report.supports ? ` · ${report.supports} 人也遇到` : ''}
        </View>
      </View>
    </View>
  )
}
