import { Image, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useLargeText } from '../lib/large-text'
import { TAB_ITEMS, badgeText, useTabBarState } from '../lib/tab-badges'
import './index.css'

/**
 * The tab bar in WeChat. WeChat's own bar draws its labels at its own small size, whatever the person
 * chose; this one follows 大字模式 (labels and red numbers 18 px, a taller bar) like the rest of the app.
 * WeChat gives each tab page its own copy; all of them draw the same shared state (lib/tab-badges.ts).
 */
export default function CustomTabBar() {
  const large = useLargeText()
  const { current, counts } = useTabBarState()
  return (
    <View className={large ? 'lr-tabbar lr-tabbar--large' : 'lr-tabbar'}>
      {TAB_ITEMS.map((item) => {
        const selected = item.key === current
        const count = counts[item.key]
        return (
          <View
            key={item.key}
            className='lr-tabbar__item'
            ariaRole='tab'
            ariaLabel={count > 0 ? `${item.text}，${badgeText(count)} 件` : item.text}
            onClick={() => {
              if (!selected) void Taro.switchTab({ url: `/${item.pagePath}` })
            }}
          >
            <View className='lr-tabbar__icon-box'>
              <Image
                className='lr-tabbar__icon'
                src={`/assets/tab/${item.icon}${selected ? '-active' : ''}.png`}
                mode='aspectFit'
              />
              {count > 0 ? <Text className='lr-tabbar__badge'>{badgeText(count)}</Text> : null}
            </View>
            <Text className={selected ? 'lr-tabbar__label lr-tabbar__label--selected' : 'lr-tabbar__label'}>
              {item.text}
            </Text>
          </View>
        )
      })}
    </View>
  )
}
