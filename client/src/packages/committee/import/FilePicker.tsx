import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import type { PickedFile } from '../../../services/http'

/**
 * Choosing the roster file. In the browser: the system file dialog. In the mini-program: a file from a
 * WeChat chat (where committees receive their Excel sheets), since a phone has no other file browser.
 */
export function FilePicker(props: { label: string; primary: boolean; onPick: (file: PickedFile) => void }) {
  const { label, onPick } = props
  const look = props.primary ? ({ type: 'primary' } as const) : ({ fill: 'outline' } as const)
  if (process.env.TARO_ENV === 'h5') {
    return (
      <View className='file-picker'>
        <Button {...look} size='large' block className='lr-block-button file-picker__button'>
          {label}
        </Button>
        {/* The real input lies over the button, invisible, so one tap opens the file dialog. */}
        <input
          className='file-picker__input'
          type='file'
          accept='.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv'
          onChange={(event) => {
            const file = event.currentTarget.files?.[0]
            // Cleared, so choosing the same file again (after fixing it) still counts as a choice.
            event.currentTarget.value = ''
            if (file) onPick({ name: file.name, size: file.size, blob: file })
          }}
        />
      </View>
    )
  }

  async function chooseFromChat() {
    try {
      const { tempFiles } = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx', 'csv'] })
      const file = tempFiles[0]
      if (file) onPick({ name: file.name, size: file.size, path: file.path })
    } catch {
      // The person closed the chooser.
    }
  }
  return (
    <>
      <Button {...look} size='large' block className='lr-block-button' onClick={chooseFromChat}>
        {label}
      </Button>
      <View className='lr-muted file-picker__hint'>
        请先把表格发到微信聊天里（例如发给“文件传输助手”），再从聊天里选择。
      </View>
    </>
  )
}
