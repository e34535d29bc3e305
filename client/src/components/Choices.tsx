import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { Field } from './Field'

/** A big tappable chip: one choice of a group, or an on/off filter on its own. */
export function Chip(props: {
  on: boolean
  onTap: () => void
  children: ReactNode
  disabled?: boolean
  className?: string
}) {
  const classes = [
    'lr-chip',
    props.on ? 'lr-chip--on' : '',
    props.disabled ? 'lr-chip--disabled' : '',
    props.className ?? '',
  ]
  return (
    <View className={classes.filter(Boolean).join(' ')} onClick={() => (props.disabled ? undefined : props.onTap())}>
      {props.children}
    </View>
  )
}

export interface Choice<T> {
  value: T
  label: string
}

/** Pick one of a few values, all visible at once (easier than a picker wheel). */
export function Choices<T>(props: {
  choices: readonly Choice<T>[]
  value: T
  onChange: (value: T) => void
  className?: string
}) {
  return (
    <View className={`lr-chips ${props.className ?? ''}`}>
      {props.choices.map((choice) => (
        <Chip key={String(choice.value)} on={choice.value === props.value} onTap={() => props.onChange(choice.value)}>
          {choice.label}
        </Chip>
      ))}
    </View>
  )
}

/** A labelled form field of Choices, with its error under it. */
export function ChoiceField<T>(props: {
  label: string
  hint?: string
  error?: string
  choices: readonly Choice<T>[]
  value: T
  onChange: (value: T) => void
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      <Choices choices={props.choices} value={props.value} onChange={props.onChange} />
    </Field>
  )
}
