export default definePageConfig({ navigationBarTitleText: '提议召集开会' })
