import { View } from '@tarojs/components'
import { DatePicker } from '@nutui/nutui-react-taro'
import { useState, type CSSProperties } from 'react'
import { formatDate, weekdayWords } from '../lib/format'
import { Field } from './Field'
import './DateTimeField.css'

/** What the field holds: a day 'YYYY-MM-DD', a time 'HH:mm', or both 'YYYY-MM-DD HH:mm'; '' when none is chosen. */
type Mode = 'date' | 'time' | 'datetime'

const PICKER_TYPE = { date: 'date', time: 'hour-minutes', datetime: 'datetime' } as const
const two = (n: number) => String(n).padStart(2, '0')

/**
 * Rows a finger can hit (at least 44 CSS px). NutUI reads the row height back from this variable in H5 as a
 * number of pixels, so it is set here, untouched by Taro's px conversion of style sheets.
 */
const WHEEL_SIZE = { '--nutui-picker-item-height': '52px' } as CSSProperties

/** The value's wall-clock parts as a Date the picker shows (it reads only the parts; a time alone is on today). */
function toPicker(value: string): Date {
  const now = new Date()
  const day = /(\d{4})-(\d{2})-(\d{2})/.exec(value)
  const time = /(\d{2}):(\d{2})/.exec(value)
  return day
    ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), Number(time?.[1] ?? 0), Number(time?.[2] ?? 0))
    : new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(time?.[1] ?? 0), Number(time?.[2] ?? 0))
}

function fromPicker(mode: Mode, at: Date): string {
  const day = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`
  return mode === 'date' ? day : mode === 'time' ? time : `${day} ${time}`
}

/** How the field reads: 2026年12月9日 星期三 19:30, as every page writes dates (lib/format.ts). */
function words(mode: Mode, value: string): string {
  const day = value.slice(0, 10)
  const time = mode === 'time' ? value : value.slice(11)
  if (mode === 'time') return time
  return `${formatDate(day)} ${weekdayWords(day)}${mode === 'datetime' ? ` ${time}` : ''}`
}

/**
 * A date, a time, or both, picked from wheels rather than typed: a big box showing the value in words, which
 * opens NutUI's picker (the same on WeChat and H5; years, then months, then days). `start`/`end` bound the days
 * offered (YYYY-MM-DD); `clearLabel` offers to empty an optional field, which opens on `start` or today.
 */
export function DateTimeField(props: {
  label: string
  mode: Mode
  value: string
  onChange: (value: string) => void
  className: string
  fieldClassName?: string
  hint?: string
  error?: string
  start?: string
  end?: string
  placeholder?: string
  clearLabel?: string
}) {
  const { mode, value } = props
  const [open, setOpen] = useState(false)
  return (
    <Field
      label={props.label}
      hint={props.hint}
      error={props.error}
      className={`lr-datetime-field ${props.fieldClassName ?? ''}`}
    >
      <View className={`lr-datetime ${props.className}`} onClick={() => setOpen(true)}>
        <View className={value ? 'lr-datetime__value' : 'lr-datetime__value lr-datetime__value--empty'}>
          {value ? words(mode, value) : (props.placeholder ?? '点这里选')}
        </View>
        <View className='lr-datetime__change'>{value ? '改' : '选'} ›</View>
      </View>
      {props.clearLabel && value ? (
        <View className='lr-datetime__clear' onClick={() => props.onChange('')}>
          {props.clearLabel}
        </View>
      ) : null}
      {open ? (
        <View style={WHEEL_SIZE}>
          <DatePicker
            className='lr-datetime-picker'
            visible
            title={props.label}
            type={PICKER_TYPE[mode]}
            showChinese
            minuteStep={mode === 'date' ? 1 : 5}
            threeDimensional={false}
            // NutUI's own bounds (ten years either side) stand unless given: an undefined prop would replace them.
            {...(props.start ? { startDate: toPicker(props.start) } : {})}
            {...(props.end ? { endDate: toPicker(`${props.end} 23:59`) } : {})}
            defaultValue={value ? toPicker(value) : new Date()}
            onConfirm={(_options, parts) => {
              const [a, b, c, d, e] = parts.map(Number)
              // hour-minutes gives [hour, minute]; date [y, m, d]; datetime [y, m, d, hour, minute].
              const at = mode === 'time' ? new Date(2000, 0, 1, a, b) : new Date(a!, b! - 1, c, d ?? 0, e ?? 0)
              props.onChange(fromPicker(mode, at))
            }}
            onClose={() => setOpen(false)}
          />
        </View>
      ) : null}
    </Field>
  )
}
